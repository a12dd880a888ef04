"""The page of a background import and the status it polls."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.views.generic import DetailView

from lifelong_learning.uploads import row_errors_response

from .models import ImportKind
from .selectors import job_errors, job_status, job_warnings, jobs_visible


class JobMixin(LoginRequiredMixin):
    """Only the person who confirmed the import (and administrators) see it;
    anyone else is told it does not exist."""

    def get_queryset(self):
        return jobs_visible(self.request.user)


class ImportJobView(JobMixin, DetailView):
    """The import's progress while it runs (the page polls its status), then
    its result; ``?errors=csv``: its errors as a file."""

    context_object_name = "job"
    template_name = "jobs/importjob_detail.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("errors") == "csv":
            job = self.get_object()
            return row_errors_response(errors=job_errors(job), file_name=job.file_name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        job = self.object
        return super().get_context_data(
            status=job_status(job),
            errors=job_errors(job),
            warnings=job_warnings(job),
            reports=job.kind == ImportKind.REPORTS,
            column_labels=job.result.get("column_labels", {}),
            **kwargs,
        )


class ImportJobStatusView(JobMixin, DetailView):
    """The import's state and numbers, as JSON."""

    def render_to_response(self, context):
        response = JsonResponse(job_status(self.object))
        response["Cache-Control"] = "no-store"
        return response
