"""Uploaded import files kept between the preview and the confirmation.

A file is stored under a random token in a private temporary directory; the
session of the user who uploaded it holds the token, so nobody else can
confirm or read it. Files older than a day are removed on the next upload.
"""

import re
import secrets
import tempfile
import time
from pathlib import Path

from lifelong_learning.tabular import table_format

SESSION_KEY = "institution_imports"
MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def upload_directory() -> Path:
    directory = Path(tempfile.gettempdir()) / "portal-institution-imports"
    directory.mkdir(mode=0o700, exist_ok=True)
    return directory


def uploads_prune(*, max_age: int = MAX_AGE_SECONDS) -> None:
    """Removes uploads older than ``max_age`` seconds."""
    limit = time.time() - max_age
    for path in upload_directory().iterdir():
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


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


def upload_discard(*, session, token: str) -> None:
    uploads = session.get(SESSION_KEY, {})
    entry = uploads.pop(token, None)
    session[SESSION_KEY] = uploads
    if entry is not None:
        (upload_directory() / entry["path"]).unlink(missing_ok=True)
