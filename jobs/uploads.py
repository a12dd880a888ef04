"""Step 3 of an upload on a background worker: confirming a checked file
queues its import and leads to the import's page at once, whatever the
file's size."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lifelong_learning import uploads

from .selectors import job_for_upload
from .services import JobExists, job_enqueue


class JobUploadPreviewView(uploads.UploadPreviewView):
    """The preview of :class:`lifelong_learning.uploads.UploadPreviewView`,
    whose confirmation (POST) puts ``job_task`` (called with the job's id)
    on the worker's queue instead of writing in the request. An upload is
    confirmed once: confirming it again is refused with a link to its
    import, and its preview leads there."""

    job_kind: str
    job_task = None

    def job_options(self) -> dict:
        """What the import needs besides the file and the person."""
        return {}

    def get(self, request, token):
        job = job_for_upload(user=request.user, upload=token)
        if job is not None:
            return redirect(job)
        return super().get(request, token)

    def post(self, request, token):
        job = job_for_upload(user=request.user, upload=token)
        if job is not None:
            return self._confirmed_before(job)
        path, name = self._upload(token)
        checked = self._checked(path, name)
        if not checked.ok:
            return self._render(token, name, checked, status=self.refused_status)
        try:
            job = job_enqueue(
                user=request.user,
                kind=self.job_kind,
                upload=token,
                path=path,
                file_name=name,
                rows_total=checked.total,
                task=self.job_task,
                options=self.job_options(),
            )
        except JobExists as exists:
            return self._confirmed_before(exists.job)
        return redirect(job)

    def _confirmed_before(self, job):
        context = {
            "job": job,
            "message": _(
                "This file was already confirmed; it is imported once. "
                "Follow its import on its page."
            ),
        }
        return render(self.request, "jobs/importjob_refused.html", context, status=409)
