from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(**kwargs):
    from lifelong_learning.roles import role_groups_sync

    role_groups_sync()


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = _("Institutions and geography")

    def ready(self):
        # Permissions are created after migrations, so role groups are synced then.
        post_migrate.connect(_sync_roles, dispatch_uid="institutions.sync_roles")
