"""The dashboards' page cache follows the data: a write replaces its own
province's pages and the national ones, not the other provinces'; and the
cache is shared by every worker (files on one machine, Redis in
production, tested against a real redis-server)."""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings

from institutions.models import Category
from reports.entry.models import ReportStatus
from reports.entry.services import report_save
from tests.conftest import PROVINCE_A, PROVINCE_B

from .test_figures import institution
from .test_views import from_cache, main_html, targets, url  # noqa: F401

pytestmark = pytest.mark.usefixtures("targets")


def save(user, library, **values):
    return report_save(
        user=user,
        institution=library,
        year=2024,
        values={"lll_services": True, **values},
        expected_version=0,
        status=ReportStatus.DRAFT,
    )


@pytest.fixture
def libraries(geography):
    return {
        code: institution(Category.LIBRARY_PROVINCIAL, province=code, code=f"L-{code}")
        for code in (PROVINCE_A, PROVINCE_B)
    }


def test_a_save_in_one_province_keeps_the_other_provinces_pages(
    client, ministry_user, administrator, libraries
):
    client.force_login(ministry_user)
    page_a = url("reports:province", [PROVINCE_A], year=2024)
    page_b = url("reports:province", [PROVINCE_B], year=2024)
    national = url("reports:dashboard", year=2024)
    for address in (page_a, page_b, national):
        assert not from_cache(client.get(address))
        assert from_cache(client.get(address))

    save(administrator, libraries[PROVINCE_B])

    assert from_cache(client.get(page_a))  # Hà Nội's page is still good
    after_b = client.get(page_b)
    assert not from_cache(after_b)  # Đắk Lắk's page follows its save
    assert not from_cache(client.get(national))  # so do the national figures
    assert from_cache(client.get(page_b))


def test_a_renamed_institution_replaces_its_provinces_page(
    client, ministry_user, administrator, libraries
):
    """A write that changes no count still changes what the page lists."""
    library = libraries[PROVINCE_A]
    save(administrator, library)
    client.force_login(ministry_user)
    page = url("reports:province", [PROVINCE_A], year=2024)
    client.get(page)
    assert from_cache(client.get(page))
    library.name = "Thư viện đã đổi tên"
    library.save()
    again = client.get(page)
    assert not from_cache(again)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A throw-away redis-server (Debian's) on a free loopback port."""
    binary = shutil.which("redis-server")
    assert binary, "redis-server is installed by scripts/system-packages.sh test"
    port = _free_port()
    workdir = str(tmp_path_factory.mktemp("redis"))
    options = {"bind": "127.0.0.1", "port": port, "save": "", "appendonly": "no"}
    arguments = [binary, "--dir", workdir]
    for name, value in options.items():
        arguments += [f"--{name}", str(value)]
    server = subprocess.Popen(arguments, stdout=subprocess.DEVNULL)
    address = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(address)
    for _attempt in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield address
    server.terminate()
    server.wait(timeout=10)


def test_pages_are_shared_through_redis(client, ministry_user, libraries, redis_url):
    cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
    with override_settings(CACHES={"default": {**cache, "LOCATION": redis_url}}):
        caches["default"].clear()
        client.force_login(ministry_user)
        address = url("reports:dashboard", year=2024)
        first = client.get(address)
        # Another worker is another client of the same server: it finds the
        # page there.
        stored = redis.Redis.from_url(redis_url).keys("*dashboard:*")
        assert len(stored) == 1
        again = client.get(address)
        assert from_cache(again)
        assert main_html(again) == main_html(first)


def test_the_embedded_default_shares_pages_through_files(
    client, ministry_user, libraries, tmp_path
):
    cache = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
    with override_settings(CACHES={"default": {**cache, "LOCATION": str(tmp_path)}}):
        client.force_login(ministry_user)
        address = url("reports:dashboard", year=2024)
        client.get(address)
        assert list(tmp_path.glob("*.djcache"))  # the page (and its counts)
        assert from_cache(client.get(address))


def test_national_counts_are_read_again_only_for_the_province_written(
    administrator, libraries, monkeypatch
):
    from reports.progress import figures
    from reports.progress.figures import NATION, progress_figures_load

    save(administrator, libraries[PROVINCE_A])
    save(administrator, libraries[PROVINCE_B])
    progress_figures_load(year=2024)  # every province's rows now cached
    read = []
    original = figures._plain_rows

    def recorded(queryset):
        rows = original(queryset)
        read.extend(row[0] for row in rows)
        return rows

    monkeypatch.setattr(figures, "_plain_rows", recorded)
    assert all(f.row() for f in progress_figures_load(year=2024).evaluations(NATION))
    assert read == []  # nothing changed: every province from the cache
    library = libraries[PROVINCE_B]
    report_save(
        user=administrator,
        institution=library,
        year=2024,
        values={"lll_services": False},
        expected_version=1,
        status=ReportStatus.SUBMITTED,
    )
    after = progress_figures_load(year=2024)
    assert set(read) == {PROVINCE_B}  # Đắk Lắk's rows read again, alone
    caches["default"].clear()
    fresh = progress_figures_load(year=2024)
    for area in (NATION, PROVINCE_A, PROVINCE_B):
        assert [e.row() for e in after.evaluations(area)] == [
            e.row() for e in fresh.evaluations(area)
        ]
