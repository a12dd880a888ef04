"""Uploads of import files, shared by every upload form: the size limit while
receiving, the files kept between the preview and the confirmation, and the
preview-then-confirm pages.

A file is stored under a random token in a private temporary directory; the
session of the user who uploaded it holds the token, so nobody else can
confirm or read it. Beside it, the result of its dry run is kept, so that
showing the preview again (a reload, a language switch back, the errors'
download) does not read the file again. Files older than a day are removed on
the next upload.
"""

import os
import pickle
import re
import secrets
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from .batches import ImportResult
from .tabular import RowErrors, table_format, table_write


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    """Writes at most ``MAX_UPLOAD_BYTES`` + 1 bytes of an uploaded file to
    disk and drops the rest, so that a huge upload cannot fill the disk. The
    file's ``size`` is still the size that was sent, so the form refuses it
    with its clear message."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.kept = 0

    def receive_data_chunk(self, raw_data, start):
        room = settings.MAX_UPLOAD_BYTES + 1 - self.kept
        if room > 0:
            chunk = raw_data[:room]
            self.file.write(chunk)
            self.kept += len(chunk)


def file_response(suffix: str, write, filename: str) -> FileResponse:
    """Writes a file with ``write(path)`` into a temporary file that is removed
    once the response has been sent."""
    handle = tempfile.NamedTemporaryFile(suffix=suffix)  # noqa: SIM115
    write(handle.name)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename)


# The session key and the directory keep the names of the first upload page,
# the institutions', so that uploads under way survive an upgrade.
SESSION_KEY = "institution_imports"
MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_RESULT_KEY = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
_RESULT_SUFFIX = ".result"


def upload_directory() -> Path:
    directory = Path(tempfile.gettempdir()) / "portal-institution-imports"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


def uploads_prune(*, max_age: int = MAX_AGE_SECONDS) -> None:
    """Removes uploads older than ``max_age`` seconds."""
    limit = time.time() - max_age
    for path in upload_directory().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except FileNotFoundError:  # removed meanwhile by another request
            continue


def upload_store(*, session, upload) -> str:
    """Saves an uploaded file and returns its token."""
    uploads_prune()
    token = secrets.token_hex(16)
    path = upload_directory() / f"{token}.{table_format(upload.name)}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    uploads = session.get(SESSION_KEY, {})
    uploads[token] = {"name": upload.name, "path": path.name}
    session[SESSION_KEY] = uploads
    return token


def upload_get(*, session, token: str) -> tuple[Path, str] | None:
    """The stored file and its original name, if this session uploaded it."""
    if not _TOKEN.match(token):
        return None
    entry = session.get(SESSION_KEY, {}).get(token)
    if entry is None:
        return None
    path = upload_directory() / entry["path"]
    if not path.is_file():
        return None
    return path, entry["name"]


def _result_path(path: Path, key: str) -> Path:
    key = str(key)  # get_language() is None when translation is off
    if not _RESULT_KEY.match(key):
        raise ValueError(f"not a result key: {key!r}")
    return path.with_name(f"{path.stem}.{key}{_RESULT_SUFFIX}")


def upload_result(*, path: Path, key: str, compute: Callable[[], object]):
    """The dry run of the stored upload ``path`` under ``key`` (what it
    depends on besides the file: the status asked for, the language of its
    messages): computed with ``compute()`` the first time, then read back.

    The result is pickled into the private upload directory, which only the
    portal writes to; one that cannot be read back is computed again.
    """
    stored = _result_path(path, key)
    result = upload_result_kept(path=path, key=key)
    if result is not None:
        return result
    result = compute()
    partial = stored.with_name(f"{stored.name}.{secrets.token_hex(4)}")
    with partial.open("wb") as handle:
        pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, stored)
    return result


def upload_result_kept(*, path: Path, key: str):
    """The dry run of ``path`` under ``key`` kept by :func:`upload_result`,
    or None when there is none (yet): the check runs on the worker."""
    stored = _result_path(path, key)
    try:
        with stored.open("rb") as handle:
            # Safe to unpickle: only the portal writes to this directory.
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        stored.unlink(missing_ok=True)
        return None


def upload_file_remove(path: Path) -> None:
    """Removes a stored upload and its kept results (a background import
    does, once it has read the file)."""
    path.unlink(missing_ok=True)
    for result in upload_directory().glob(f"{path.stem}.*{_RESULT_SUFFIX}"):
        result.unlink(missing_ok=True)


def row_errors_response(*, errors: RowErrors, file_name: str) -> FileResponse:
    """The errors of an upload's check as a CSV file to download: the kept
    ones, then, if reading stopped early, a line saying where."""
    rows = [(error.row, error.column, error.value, error.message) for error in errors]
    if errors.stopped_at is not None:
        rows.append((None, "", "", errors.stopped_message()))
    columns = (_("row"), _("column"), _("value"), _("reason"))
    return file_response(
        ".csv",
        lambda path: table_write(path, columns=columns, rows=rows),
        f"{Path(file_name).stem}-errors.csv",
    )


class UploadFormView(FormView):
    """Step 1 of an upload: the form with the file; a valid file is stored
    and the preview of :meth:`preview_url` shown."""

    def preview_url(self, token: str, form) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        token = upload_store(
            session=self.request.session, upload=form.cleaned_data["file"]
        )
        return redirect(self.preview_url(token, form))


class UploadPreviewView(View):
    """Step 2 of an upload: what the stored file would change and its errors
    (``?errors=csv``: as a file). The check runs once per upload and
    :meth:`check_key` and is kept with the file; a file with errors is shown
    with ``refused_status`` when confirmed. Step 3 (POST), the import on a
    background worker, is ``jobs.uploads.JobUploadPreviewView``.

    A subclass says how the file is checked (:meth:`check`) and what the page
    shows besides (:meth:`get_context_data`).
    """

    template_name: str
    refused_status = 200

    def check(self, path: Path, name: str) -> ImportResult:
        raise NotImplementedError

    def check_key(self) -> str:
        """What the check depends on besides the file: the language of its
        messages."""
        return str(get_language())

    def get_context_data(self, **context) -> dict:
        return context

    def get(self, request, token):
        path, name = self._upload(token)
        result = self._checked(path, name)
        if request.GET.get("errors") == "csv":
            return row_errors_response(errors=result.errors, file_name=name)
        return self._render(token, name, result)

    def _upload(self, token: str) -> tuple[Path, str]:
        upload = upload_get(session=self.request.session, token=token)
        if upload is None:
            raise Http404
        return upload

    def _checked(self, path: Path, name: str) -> ImportResult:
        return upload_result(
            path=path, key=self.check_key(), compute=lambda: self.check(path, name)
        )

    def _render(self, token, name, result, status=200):
        context = self.get_context_data(token=token, file_name=name, result=result)
        return render(self.request, self.template_name, context, status=status)
