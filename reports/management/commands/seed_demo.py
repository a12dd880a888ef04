from django.core.management.base import BaseCommand

from institutions.demo import demo_institutions_create
from reports.demo import DEMO_PASSWORD, demo_users_create


class Command(BaseCommand):
    help = "Creates demo accounts for every role and prints their logins."

    def handle(self, *args, **options):
        accounts = demo_users_create()
        institutions = demo_institutions_create()
        self.stdout.write(f"Demo institutions: {institutions.summary()}")
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            where = f" ({account.province_code})" if account.province_code else ""
            self.stdout.write(f"  {account.username:<16} {account.role.label}{where}")
