"""The portal's URLs plus the reference pages of the benchmarks:
``bench/trivial/`` (the same base template, middleware and login, and no
data) and ``bench/public-trivial/`` (the public pages' layout, anonymous)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import include, path
from django.views.generic import TemplateView


class TrivialView(LoginRequiredMixin, TemplateView):
    template_name = "bench/trivial.html"


class PublicTrivialView(TemplateView):
    template_name = "bench/public_trivial.html"


urlpatterns = [
    path("bench/trivial/", TrivialView.as_view(), name="bench_trivial"),
    path(
        "bench/public-trivial/",
        PublicTrivialView.as_view(),
        name="bench_public_trivial",
    ),
    path("", include("lifelong_learning.urls")),
]
