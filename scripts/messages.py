"""Refreshes locale/vi/LC_MESSAGES/django.po from the code and fills every entry
from the hand-kept catalogues in locale/parts/*.po.

Each part holds the translations of one area of the portal, so several people
can translate at once without editing the generated catalogue. Entries that
msgmerge guessed (fuzzy) are cleared unless a part translates them.
"""

import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PARTS = sorted((ROOT / "locale" / "parts").glob("*.po"))


def _key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def main() -> int:
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale=vi",
            "--no-obsolete",
            "--add-location=file",
            "--ignore=.venv/*",
            "--ignore=node_modules/*",
            "--ignore=staticfiles/*",
            "--ignore=tests/*",
            "--ignore=bench/*",
        ],
        cwd=ROOT,
        check=True,
    )
    known = {}
    for part in PARTS:
        for entry in polib.pofile(str(part)):
            if entry.msgstr or entry.msgstr_plural:
                known[_key(entry)] = entry
    catalogue = polib.pofile(str(CATALOGUE))
    catalogue.metadata["Language"] = "vi"
    catalogue.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    missing = []
    for entry in catalogue:
        source = known.get(_key(entry))
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
            entry.msgstr = ""
            entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
        if source is not None:
            entry.msgstr = source.msgstr
            if entry.msgid_plural:
                entry.msgstr_plural = {0: source.msgstr_plural.get(0, "")}
        if not (entry.msgstr or any(entry.msgstr_plural.values())):
            missing.append(entry)
    catalogue.save()
    for entry in missing:
        print(f"untranslated: {entry.msgid!r}", file=sys.stderr)
    print(f"{len(catalogue)} entries, {len(missing)} untranslated")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
