"""Upload handling shared by every upload form."""

import tempfile

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse


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
