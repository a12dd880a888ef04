"""``manage.py publish_release --year Y [--notes TEXT]``: publishes the next
official release of a data year from approved reports only, as the
publishing page does (:func:`reports.releases.services.release_publish`)."""

from django.core.management.base import BaseCommand, CommandError

from reports.releases.services import ReleaseError, release_publish


class Command(BaseCommand):
    help = (
        "Publishes the next official release of a data year (approved reports "
        "only): its figures are frozen and never change afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="Data year.")
        parser.add_argument(
            "--notes", default="", help="What the release is, or what it corrects."
        )

    def handle(self, *args, year, notes, **options):
        try:
            release = release_publish(year=year, notes=notes)
        except ReleaseError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Published release {release.number} of {release.year} "
            f"(snapshot SHA-256 {release.snapshot_sha256})."
        )
