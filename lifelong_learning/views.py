"""Pages that belong to the portal as a whole rather than to one app."""

from django.views.generic import TemplateView


class HomeView(TemplateView):
    template_name = "home.html"


class MethodologyView(TemplateView):
    template_name = "methodology.html"
