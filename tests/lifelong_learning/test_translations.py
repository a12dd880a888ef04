"""The Vietnamese catalogue is complete and in step with the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_vietnamese_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalogue = polib.pofile(str(CATALOGUE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_every_translatable_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Runs makemessages on a copy of the sources and compares the message ids."""
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            "node_modules",
            "staticfiles",
            ".git",
            "tests",
            "bench",
            "*.sqlite3",
            "__pycache__",
            ".ruff_cache",
            ".pytest_cache",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale=vi",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / CATALOGUE.relative_to(ROOT)))
    committed = polib.pofile(str(CATALOGUE))

    def ids(catalogue):
        return {(entry.msgctxt, entry.msgid) for entry in catalogue}

    missing = sorted(ids(fresh) - ids(committed), key=str)
    assert missing == [], "run `make messages` and translate these"
