"""The portal's URLs plus a page that fails, for the tests of the 500 page."""

from django.urls import path

from lifelong_learning.urls import handler400, handler500, urlpatterns  # noqa: F401


def broken(request):
    raise RuntimeError("a failure for the tests of the 500 page")


urlpatterns = [*urlpatterns, path("broken/", broken)]
