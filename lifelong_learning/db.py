"""Routing of dashboard reads to a PostgreSQL replica.

Only code that explicitly asks for it (dashboards, progress figures) reads from
the replica, inside :func:`reading_from_replica`; data entry, review and every
write always use the primary, so a user sees their own changes at once. Without
``DATABASE_REPLICA_URL`` everything uses the primary.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings

REPLICA = "replica"
_use_replica: ContextVar[bool] = ContextVar("use_replica", default=False)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Routes the reads made inside the block to the replica, if one is set up."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_reads(view: Callable) -> Callable:
    """View decorator: the view's reads go to the replica."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        with reading_from_replica():
            return view(*args, **kwargs)

    return wrapper


class ReplicaRouter:
    """Sends reads to the replica inside :func:`reading_from_replica`."""

    def db_for_read(self, model, **hints):
        if _use_replica.get() and settings.READ_REPLICA_ENABLED:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
