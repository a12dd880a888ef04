"""Steps 2 and 3 of an upload on a background worker: the file's check (its
preview) and, once confirmed, its import run on the worker, so both requests
return at once whatever the file's size; meanwhile a page follows them."""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lifelong_learning import uploads

from .models import ImportState
from .selectors import job_context, job_for_upload
from .services import JobExists, check_enqueue, job_confirm, job_enqueue


class JobUploadPreviewView(uploads.UploadPreviewView):
    """The preview of :class:`lifelong_learning.uploads.UploadPreviewView`,
    whose check runs on the worker (``check_task``, called with the job's id)
    the first time it is asked for (and again in another language): until it
    ends, the page shows the rows checked so far and reloads itself into the
    preview. Its confirmation (POST) puts ``job_task`` on the worker's queue
    instead of writing in the request. An upload is confirmed once:
    confirming it again is refused with a link to its import, and its
    preview leads there."""

    job_kind: str
    job_task = None
    check_task = None

    def job_options(self) -> dict:
        """What the check and the import need besides the file and the
        person."""
        return {}

    def get(self, request, token):
        job = job_for_upload(user=request.user, upload=token)
        if job is not None and job.confirmed:
            return redirect(job)
        path, name = self._upload(token)
        key = self.check_key()
        result = uploads.upload_result_kept(path=path, key=key)
        if result is None:
            job = check_enqueue(
                user=request.user,
                kind=self.job_kind,
                upload=token,
                path=path,
                file_name=name,
                key=key,
                task=self.check_task,
                options={**self.job_options(), "preview_url": self._preview_url()},
            )
            if job.state == ImportState.FAILED:
                return redirect(job)
            # The immediate backend (tests) has checked it already.
            result = uploads.upload_result_kept(path=path, key=key)
            if result is None:
                return render(request, "jobs/importjob_detail.html", job_context(job))
        if request.GET.get("errors") == "csv":
            return uploads.row_errors_response(errors=result.errors, file_name=name)
        return self._render(token, name, result)

    def post(self, request, token):
        job = job_for_upload(user=request.user, upload=token)
        if job is not None and job.confirmed:
            return self._confirmed_before(job)
        path, name = self._upload(token)
        if job is not None and job.state != ImportState.CHECKED:
            # Its check is under way: the preview follows it.
            return redirect(request.get_full_path())
        checked = self._checked(path, name)
        if not checked.ok:
            return self._render(token, name, checked, status=self.refused_status)
        try:
            if job is not None:
                job = job_confirm(
                    job,
                    rows_total=checked.total,
                    task=self.job_task,
                    options=self.job_options(),
                )
            else:  # uploaded before checks ran on the worker
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

    def _preview_url(self) -> str:
        """This page's address, where the job's page leads once checked."""
        query = self.request.GET.copy()
        query.pop("errors", None)
        return (
            f"{self.request.path}?{query.urlencode()}" if query else self.request.path
        )

    def _confirmed_before(self, job):
        context = {
            "job": job,
            "message": _(
                "This file was already confirmed; it is imported once. "
                "Follow its import on its page."
            ),
        }
        return render(self.request, "jobs/importjob_refused.html", context, status=409)
