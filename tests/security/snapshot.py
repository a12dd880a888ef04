"""A full, comparable copy of every table the portal owns, for tests that must
prove a database is exactly as before (restores, failed imports)."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from lifelong_learning.backups import backup_models


def _natural(model, pk):
    if pk is None:
        return None
    return model._base_manager.get(pk=pk).natural_key()


def _row(model, instance) -> tuple:
    values = []
    for field in model._meta.concrete_fields:
        value = getattr(instance, field.attname)
        related = field.related_model if field.is_relation else None
        if related in (ContentType, Permission):
            value = _natural(related, value)
        values.append(value)
    for field in model._meta.local_many_to_many:
        related = field.related_model
        pks = getattr(instance, field.name).values_list("pk", flat=True)
        if related in (ContentType, Permission):
            values.append(sorted(_natural(related, pk) for pk in pks))
        else:
            values.append(sorted(pks))
    return tuple(values)


def tables_snapshot() -> dict[str, list[tuple]]:
    """Every row of every backed-up table, in primary-key order, with content
    types and permissions by natural key (their ids differ between databases)."""
    return {
        model._meta.label_lower: [
            _row(model, instance)
            for instance in model._base_manager.order_by("pk").iterator()
        ]
        for model in backup_models()
    }


def tables_counts() -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in backup_models()
    }
