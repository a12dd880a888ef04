"""The portal's URLs plus ``bench/trivial/``, the reference page of the
benchmarks: the same base template, middleware and login, and no data."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import include, path
from django.views.generic import TemplateView


class TrivialView(LoginRequiredMixin, TemplateView):
    template_name = "bench/trivial.html"


urlpatterns = [
    path("bench/trivial/", TrivialView.as_view(), name="bench_trivial"),
    path("", include("lifelong_learning.urls")),
]
