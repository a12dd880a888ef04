"""Dashboards can read from a replica; writes and data entry never do."""

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from institutions.models import Province
from lifelong_learning.db import ReplicaRouter, reading_from_replica


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_reads_inside_the_block_use_the_replica_connection(settings, geography):
    settings.READ_REPLICA_ENABLED = True
    with (
        CaptureQueriesContext(connections["replica"]) as replica_queries,
        CaptureQueriesContext(connections["default"]) as primary_queries,
    ):
        with reading_from_replica():
            inside = Province.objects.count()
        outside = Province.objects.count()
    assert inside == outside == 34
    assert len(replica_queries) == 1
    assert len(primary_queries) == 1


def test_without_a_replica_every_read_uses_the_primary(settings):
    settings.READ_REPLICA_ENABLED = False
    with reading_from_replica():
        assert ReplicaRouter().db_for_read(Province) == "default"


def test_writes_and_migrations_always_use_the_primary(settings):
    settings.READ_REPLICA_ENABLED = True
    router = ReplicaRouter()
    with reading_from_replica():
        assert router.db_for_read(Province) == "replica"
        assert router.db_for_write(Province) == "default"
    assert router.db_for_read(Province) == "default"
    assert router.allow_migrate("replica", "institutions") is False
