"""lifelong_learning/uploads.py: the files kept between an upload's preview
and its confirmation (the pages themselves are tested with each app's)."""

import os

from lifelong_learning import uploads


def test_old_uploads_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads.tempfile, "gettempdir", lambda: str(tmp_path))
    stale = uploads.upload_directory() / ("0" * 32 + ".csv")
    stale.write_text("x")
    os.utime(stale, (0, 0))

    uploads.uploads_prune()

    assert not stale.exists()
