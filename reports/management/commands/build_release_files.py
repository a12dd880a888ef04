"""``manage.py build_release_files RELEASE DIR``: writes a release's files
(tables, progress JSON, PDF reports, manifest.json) and their zip into a
folder, built from the release's snapshot: the same bytes every time."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports.releases.files import release_files_write
from reports.releases.models import Release


class Command(BaseCommand):
    help = (
        "Writes the files of an official release (and a zip of all of them) "
        "into a folder, from its frozen snapshot."
    )

    def add_arguments(self, parser):
        parser.add_argument("release", help="Release number, e.g. 2025-1.")
        parser.add_argument("directory", type=Path, help="Folder to write into.")

    def handle(self, *args, release, directory, **options):
        found = Release.objects.filter(number=release.strip()).first()
        if found is None:
            numbers = ", ".join(Release.objects.values_list("number", flat=True))
            raise CommandError(
                f"Unknown release {release!r}; published: {numbers or 'none yet'}."
            )
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} exists and is not a folder.")
        try:
            paths = release_files_write(found, directory)
        except OSError as error:
            raise CommandError(f"Cannot write into {directory}: {error}") from error
        for path in paths:
            self.stdout.write(str(path))
