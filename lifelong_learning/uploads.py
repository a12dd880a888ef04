"""Upload handling shared by every upload form."""

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler


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
