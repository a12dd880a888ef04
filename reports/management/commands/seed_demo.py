from django.core.management.base import BaseCommand, CommandError

from institutions.demo import demo_institutions_create
from reports.demo.national import NATIONAL_TOTAL, demo_national_create, years_parse
from reports.demo.releases import demo_releases_create
from reports.demo.sample import (
    DEMO_PASSWORD,
    demo_period_create,
    demo_reports_create,
    demo_users_create,
)


class Command(BaseCommand):
    help = (
        "Creates demo accounts for every role and prints their logins; with "
        "--scale national, also a national-size register (about 150,000 "
        "institutions) with reports, for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["small", "national"],
            default="small",
            help="small (default): a few institutions per province; national: "
            "about 150,000 institutions with reports.",
        )
        parser.add_argument(
            "--years",
            default="2022-2025",
            help="Report years of the national register, as YYYY-YYYY.",
        )
        parser.add_argument(
            "--seed", type=int, default=1520, help="Random seed of the national data."
        )
        parser.add_argument(
            "--institutions",
            type=int,
            default=NATIONAL_TOTAL,
            help="Institutions of the national register, in the national "
            f"proportions (default {NATIONAL_TOTAL}, the national size; "
            f"{2 * NATIONAL_TOTAL} is twice it, as the benchmarks' growth step).",
        )

    def handle(self, *args, **options):
        if options["scale"] == "national":
            self._national(options)
        accounts = demo_users_create()
        institutions = demo_institutions_create()
        self.stdout.write(f"Demo institutions: {institutions.summary()}")
        # The period first: the reports' first submissions are timed against it.
        period = demo_period_create()
        reports = demo_reports_create()
        self.stdout.write(f"Demo reports 2022–2025: {reports.summary()}")
        self.stdout.write(
            f"Demo reporting period {period.year}: open {period.opens_on:%d/%m/%Y}"
            f"–{period.closes_on:%d/%m/%Y}, due {period.due_on:%d/%m/%Y}"
        )
        releases = demo_releases_create()
        self.stdout.write(
            "Demo releases: " + ", ".join(release.number for release in releases)
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            where = f" ({account.province_code})" if account.province_code else ""
            self.stdout.write(f"  {account.username:<16} {account.role.label}{where}")

    def _national(self, options):
        try:
            demo = demo_national_create(
                years=years_parse(options["years"]),
                seed=options["seed"],
                total=options["institutions"],
                progress=options["verbosity"] > 0,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"National demo: {demo.institutions:,} institutions, {demo.reports:,} "
            f"reports in {demo.seconds:.0f} s"
        )
