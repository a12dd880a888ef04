"""The page of a background check or import and the status it polls."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.generic import DetailView

from lifelong_learning.uploads import row_errors_response

from .models import ImportState
from .selectors import job_context, job_errors, job_status, jobs_visible


class JobMixin(LoginRequiredMixin):
    """Only the person who confirmed the import (and administrators) see it;
    anyone else is told it does not exist."""

    def get_queryset(self):
        return jobs_visible(self.request.user)


class ImportJobView(JobMixin, DetailView):
    """The check's or the import's progress while it runs (the page polls its
    status), then the preview (once checked) or the import's result;
    ``?errors=csv``: its errors as a file."""

    context_object_name = "job"
    template_name = "jobs/importjob_detail.html"

    def get(self, request, *args, **kwargs):
        job = self.get_object()
        if job.state == ImportState.CHECKED and job.options.get("preview_url"):
            # Checked: its preview shows the rest, and the confirm button.
            return redirect(job.options["preview_url"])
        if request.GET.get("errors") == "csv":
            return row_errors_response(errors=job_errors(job), file_name=job.file_name)
        self.object = job
        return self.render_to_response(self.get_context_data(object=job))

    def get_context_data(self, **kwargs):
        return super().get_context_data(**job_context(self.object), **kwargs)


class ImportJobStatusView(JobMixin, DetailView):
    """The import's state and numbers, as JSON."""

    def render_to_response(self, context):
        response = JsonResponse(job_status(self.object))
        response["Cache-Control"] = "no-store"
        return response
