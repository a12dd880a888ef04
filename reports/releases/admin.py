"""Releases in the admin: a record to read, never to change. Publishing is
the portal's page (linked from the list), which calls the one service."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lifelong_learning.numbers import NumbersAdminMixin
from reports.releases.models import Release


@admin.register(Release)
class ReleaseAdmin(NumbersAdminMixin, admin.ModelAdmin):
    """Published releases, read only; the snapshot is shown by its SHA-256."""

    list_display = ["number", "year", "published_at", "publisher", "published_by"]
    list_filter = ["year"]
    search_fields = ["number", "notes"]
    date_hierarchy = "published_at"
    fields = [
        "number",
        "year",
        "sequence",
        "published_at",
        "published_by",
        "publisher",
        "notes",
        "snapshot_sha256",
        "snapshot_size",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("published_by")

    @admin.display(description=_("size of the snapshot (characters)"))
    def snapshot_size(self, obj):
        return len(obj.snapshot)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
