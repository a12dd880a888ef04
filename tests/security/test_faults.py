"""Faults: a database error in the middle of a multi-row write leaves every
table exactly as before; two imports of overlapping files at the same time
end consistent; killing the server loses nothing it acknowledged."""

import csv
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing, suppress
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from institutions import imports as institution_imports
from institutions.formats import COLUMNS as INSTITUTION_COLUMNS
from institutions.imports import institutions_import
from institutions.models import Category, Institution
from lifelong_learning.backups import BackupError, backup_export, backup_import
from reports.entry import imports as report_imports
from reports.entry import services as report_services
from reports.entry.formats import COLUMNS as REPORT_COLUMNS
from reports.entry.imports import reports_import
from reports.entry.models import AnnualReport, ReportStatus
from reports.entry.services import ReportEntry, reports_save
from reports.entry.workflow import report_sheet_approve
from reports.progress.counters import counts_check, counts_rebuild
from tests.conftest import PROVINCE_A
from tests.factories import TEST_PASSWORD, InstitutionFactory, ReportFactory

from .snapshot import tables_snapshot

SMALL_BATCH = 7


class WriteFault:
    """Counts the statements that write; executes the ``fail_at``-th and then
    raises, so the failure comes after part of the data was written."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "TRUNCATE")

    def __init__(self, fail_at: int | None = None):
        self.fail_at = fail_at
        self.writes = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith(self.WRITES):
            self.writes += 1
            if self.writes == self.fail_at:
                raise DatabaseError("injected fault")
        return result


class _Undo(Exception):
    pass


def writes_of(operation) -> int:
    """How many writing statements ``operation`` runs (then undone)."""
    fault = WriteFault()
    try:
        with transaction.atomic(), connection.execute_wrapper(fault):
            operation()
            raise _Undo
    except _Undo:
        pass
    return fault.writes


def assert_faults_leave_no_trace(operation, *, error=DatabaseError) -> int:
    """Injects a fault at the first, a middle and the last write of
    ``operation``; after each, every table is exactly as before. Returns the
    number of faults injected."""
    total = writes_of(operation)
    assert total >= 3, "the operation should write in several statements"
    before = tables_snapshot()
    points = sorted({1, total // 2, total})
    for fail_at in points:
        fault = WriteFault(fail_at)
        with pytest.raises(error), connection.execute_wrapper(fault):
            operation()
        assert fault.writes == fail_at
        assert tables_snapshot() == before, f"fault at write {fail_at} of {total}"
    return len(points)


def write_table(path: Path, columns, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])
    return path


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(institution_imports, "BATCH_SIZE", SMALL_BATCH)
    monkeypatch.setattr(report_services, "BATCH_SIZE", SMALL_BATCH)
    monkeypatch.setattr(report_imports, "BATCH_SIZE", SMALL_BATCH)


@pytest.fixture
def registry(geography, small_batches):
    """Twenty libraries in province A, each with a submitted 2023 report."""
    libraries = [
        InstitutionFactory(
            code=f"FLT-{index:03d}",
            name=f"Thư viện {index}",
            category=Category.LIBRARY_DISTRICT,
            province=PROVINCE_A,
            opened_year=2000,
        )
        for index in range(20)
    ]
    for library in libraries:
        ReportFactory(
            institution=library,
            year=2023,
            status=ReportStatus.SUBMITTED,
            lll_services=True,
        )
    return libraries


@pytest.mark.django_db
def test_a_fault_in_an_institution_import_changes_nothing(registry, tmp_path):
    rows = [
        {
            "code": f"FLT-{index:03d}",
            "name": f"Thư viện mới {index}",
            "category": Category.LIBRARY_DISTRICT,
            "province_code": PROVINCE_A,
        }
        for index in range(10, 40)
    ]
    path = write_table(tmp_path / "i.csv", INSTITUTION_COLUMNS, rows)
    assert_faults_leave_no_trace(lambda: institutions_import(path=path))
    assert institutions_import(path=path).written


@pytest.mark.django_db
def test_a_fault_in_a_report_import_changes_nothing(registry, tmp_path):
    rows = [
        {
            "institution_code": library.code,
            "year": year,
            "lll_services": "1",
            "learning_visits": "100",
        }
        for library in registry
        for year in (2023, 2024)
    ]
    path = write_table(tmp_path / "r.csv", REPORT_COLUMNS, rows)
    assert_faults_leave_no_trace(lambda: reports_import(path=path))
    assert reports_import(path=path).written


@pytest.mark.django_db
def test_a_fault_in_a_year_sheet_save_changes_nothing(registry, officer_a):
    entries = [
        ReportEntry(institution=library, year=2024, values={"lll_services": True})
        for library in registry
    ]
    assert_faults_leave_no_trace(lambda: reports_save(user=officer_a, entries=entries))


@pytest.mark.django_db
def test_a_fault_in_approving_a_whole_sheet_changes_nothing(registry, ministry_user):
    assert_faults_leave_no_trace(
        lambda: report_sheet_approve(
            user=ministry_user, province_code=PROVINCE_A, year=2023
        )
    )
    assert AnnualReport.objects.filter(status=ReportStatus.SUBMITTED).count() == 20


@pytest.mark.django_db
def test_a_fault_in_a_restore_changes_nothing(registry, tmp_path):
    backup_export(directory=tmp_path / "b")
    assert_faults_leave_no_trace(
        lambda: backup_import(directory=tmp_path / "b", force=True), error=BackupError
    )


# Two imports at once -------------------------------------------------------------


def run_together(*operations) -> list:
    """Runs the operations in threads released at the same moment; returns
    each one's result or exception."""
    barrier = threading.Barrier(len(operations))
    outcomes = [None] * len(operations)

    def run(index, operation):
        try:
            barrier.wait()
            outcomes[index] = operation()
        except Exception as error:  # the outcome is what the test examines
            outcomes[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, operation))
        for index, operation in enumerate(operations)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def succeeded(outcome) -> bool:
    return not isinstance(outcome, Exception) and outcome.written


def refused_whole(outcome) -> bool:
    """SQLite (development only) serialises writers with a lock; an import
    that cannot take it fails as a whole with the database's "locked" error.
    PostgreSQL runs both (the tests require it there)."""
    if isinstance(outcome, Exception):
        return isinstance(outcome, DatabaseError)
    return not outcome.written and bool(outcome.errors)


RACE_ROWS = 600


def _institution_rows(start: int, stop: int, label: str) -> list[dict]:
    return [
        {
            "code": f"RACE-{index:04d}",
            "name": f"Thư viện {label} {index}",
            "category": Category.LIBRARY_DISTRICT,
            "province_code": PROVINCE_A,
            "opened_year": "2000",
        }
        for index in range(start, stop)
    ]


@pytest.mark.django_db(transaction=True)
def test_overlapping_institution_imports_at_the_same_time_end_consistent(
    geography, tmp_path
):
    half = RACE_ROWS // 2
    files = {
        "A": write_table(
            tmp_path / "a.csv",
            INSTITUTION_COLUMNS,
            _institution_rows(0, RACE_ROWS, "A"),
        ),
        "B": write_table(
            tmp_path / "b.csv",
            INSTITUTION_COLUMNS,
            _institution_rows(half, RACE_ROWS + half, "B"),
        ),
    }
    outcomes = dict(
        zip(
            files,
            run_together(
                *(lambda p=p: institutions_import(path=p) for p in files.values())
            ),
            strict=True,
        )
    )
    race = Institution.objects.filter(code__startswith="RACE-")
    names = dict(race.values_list("code", "name"))
    if connection.vendor == "postgresql":
        assert all(succeeded(outcome) for outcome in outcomes.values()), outcomes
    else:
        assert all(succeeded(o) or refused_whole(o) for o in outcomes.values())
    expected = set()
    for label, outcome in outcomes.items():
        start = 0 if label == "A" else half
        codes = {f"RACE-{index:04d}" for index in range(start, start + RACE_ROWS)}
        if succeeded(outcome):
            expected |= codes
    assert set(names) == expected  # all of each written file, nothing else
    overlap = {
        names[code].split()[2]
        for code in (f"RACE-{index:04d}" for index in range(half, RACE_ROWS))
        if code in names
    }
    assert len(overlap) <= 1  # the overlap is wholly from one file
    created = Institution.history.filter(code__startswith="RACE-", history_type="+")
    assert created.count() == len(names)  # no history of an undone attempt
    assert counts_check() == []  # the counters count each institution once


@pytest.mark.django_db(transaction=True)
def test_overlapping_report_imports_at_the_same_time_end_consistent(
    geography, tmp_path
):
    libraries = Institution.objects.bulk_create(
        [
            Institution(
                code=f"RACE-R{index:03d}",
                name=f"Thư viện {index}",
                category=Category.LIBRARY_DISTRICT,
                province_id=PROVINCE_A,
                opened_year=2000,
            )
            for index in range(300)
        ]
    )
    counts_rebuild()  # the institutions were written behind the portal's back

    def rows(part: list, visits: str) -> list[dict]:
        return [
            {
                "institution_code": library.code,
                "year": "2024",
                "lll_services": "1",
                "learning_visits": visits,
            }
            for library in part
        ]

    file_a = write_table(
        tmp_path / "a.csv", REPORT_COLUMNS, rows(libraries[:200], "111")
    )
    file_b = write_table(
        tmp_path / "b.csv", REPORT_COLUMNS, rows(libraries[100:], "222")
    )
    outcome_a, outcome_b = run_together(
        lambda: reports_import(path=file_a), lambda: reports_import(path=file_b)
    )
    if connection.vendor == "postgresql":
        assert succeeded(outcome_a) and succeeded(outcome_b), (outcome_a, outcome_b)
    else:
        assert all(succeeded(o) or refused_whole(o) for o in (outcome_a, outcome_b))
    reports = AnnualReport.objects.filter(institution__code__startswith="RACE-R")
    visits = dict(reports.values_list("institution__code", "learning_visits"))
    expected = set()
    if succeeded(outcome_a):
        expected |= {library.code for library in libraries[:200]}
    if succeeded(outcome_b):
        expected |= {library.code for library in libraries[100:]}
    assert set(visits) == expected
    assert reports.count() == len(visits)  # one report per institution and year
    overlap = {
        visits[library.code] for library in libraries[100:200] if library.code in visits
    }
    assert len(overlap) <= 1
    created = AnnualReport.history.filter(
        institution__code__startswith="RACE-R", history_type="+"
    )
    assert created.count() == len(visits)
    # Both imports recounted the province's progress counters in turn.
    assert counts_check() == []


# Killing the server --------------------------------------------------------------

SERVER_START_SECONDS = 60


class Server:
    """The portal under gunicorn (one worker) on a free loopback port, in a
    process group of its own so that ``kill()`` stops master and worker at
    once, like a crash."""

    def __init__(self, database_url: str, log: Path):
        self.database_url = database_url
        self.log = log
        self.process = None
        # Created by the server once an institution import has written two
        # batches; it then waits to be killed (batch_signal_wsgi.py).
        self.batches_signal = log.with_name("batches-written")

    def start(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "lifelong_learning.settings.test",
            "PORTAL_TEST_BATCHES_SIGNAL": str(self.batches_signal),
        }
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "tests.security.batch_signal_wsgi",
                "--workers=1",
                "--timeout=120",
                f"--bind=127.0.0.1:{port}",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/accounts/login/", timeout=30).ok:
                    return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.2)
        self.kill()
        raise AssertionError(f"server did not start, see {self.log}")

    def kill(self) -> None:
        """SIGKILL to the server's process group: no clean shutdown."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def session(self, username: str) -> requests.Session:
        session = requests.Session()
        session.get(self.url + "/accounts/login/", timeout=10)
        response = session.post(
            self.url + "/accounts/login/",
            {
                "username": username,
                "password": TEST_PASSWORD,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            allow_redirects=False,
            timeout=10,
        )
        assert response.status_code == 302, response.text[:500]
        return session

    def post(self, session, path: str, data: dict, **kwargs) -> requests.Response:
        return session.post(
            self.url + path,
            {**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            allow_redirects=False,
            timeout=120,
            **kwargs,
        )


class ServerDatabase:
    """The database the server uses: the test database itself on PostgreSQL;
    on SQLite (in memory for the tests) a file copy, read back with sqlite3."""

    def __init__(self, directory: Path):
        connection.ensure_connection()
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = directory / "server.sqlite3"
            with sqlite3.connect(self.path) as target:
                connection.connection.backup(target)
            self.url = f"sqlite:///{self.path}"
        else:
            db = connection.settings_dict
            self.url = (
                f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
                f"/{db['NAME']}"
            )

    def writing(self, table: str) -> bool:
        """Whether another process has an open write transaction on ``table``:
        SQLite's write lock is taken (the portal's only writer then is the
        import; the database runs in WAL mode, so there is no rollback journal
        to look for), or a PostgreSQL session holds a row-exclusive lock on
        it."""
        if self.vendor == "sqlite":
            with closing(
                sqlite3.connect(self.path, timeout=0, isolation_level=None)
            ) as db:
                try:
                    db.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError:
                    return True
                db.execute("ROLLBACK")
                return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM pg_locks JOIN pg_class ON pg_class.oid = "
                "pg_locks.relation WHERE pg_class.relname = %s AND pg_locks.mode = "
                "'RowExclusiveLock' AND pg_locks.pid <> pg_backend_pid()",
                [table],
            )
            return cursor.fetchone()[0] > 0

    def value(self, sql: str, params=()):
        """The first column of the first row; SQLite rolls back a transaction
        that a killed process left unfinished when it opens the file."""
        if self.vendor == "sqlite":
            with closing(sqlite3.connect(self.path)) as db:
                return db.execute(sql, params).fetchone()[0]
        with connection.cursor() as cursor:
            cursor.execute(sql.replace("%", "%%").replace("?", "%s"), params)
            return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_killing_the_server_loses_nothing_acknowledged_and_no_import_half_done(
    geography, officer_a, tmp_path
):
    library = InstitutionFactory(
        code="KILL-LIB", category=Category.LIBRARY_DISTRICT, province=PROVINCE_A
    )
    database = ServerDatabase(tmp_path)
    server = Server(database.url, tmp_path / "server.log")
    try:
        server.start()
        # 1. Acknowledged saves, then a crash right after the response.
        session = server.session(officer_a.username)
        saved = server.post(
            session,
            f"/reports/institution/{library.pk}/2024/",
            {"version": "0", "lll_services": "1", "learning_visits": "4321"},
        )
        assert saved.status_code == 302
        created = server.post(
            session,
            "/institutions/new/",
            {
                "code": "KILL-NEW",
                "name": "Thư viện Sau Sự Cố",
                "category": Category.LIBRARY_COMMUNE,
                "province": PROVINCE_A,
            },
        )
        assert created.status_code == 302
        server.kill()
        server.start()
        visits = database.value(
            "SELECT learning_visits FROM reports_annualreport WHERE institution_id = ?",
            (library.pk,),
        )
        assert visits == 4321
        assert (
            database.value(
                "SELECT COUNT(*) FROM institutions_institution WHERE code = 'KILL-NEW'"
            )
            == 1
        )
        assert (
            database.value(
                "SELECT COUNT(*) FROM reports_historicalannualreport "
                "WHERE institution_id = ?",
                (library.pk,),
            )
            == 1
        )

        # 2. A crash in the middle of a long import.
        session = server.session(officer_a.username)
        rows = 15_000
        path = write_table(
            tmp_path / "big.csv",
            INSTITUTION_COLUMNS,
            [
                {
                    "code": f"KILL-{index:05d}",
                    "name": f"Nhà văn hóa {index}",
                    "category": Category.CULTURE_VILLAGE,
                    "province_code": PROVINCE_A,
                }
                for index in range(rows)
            ],
        )
        with path.open("rb") as handle:
            uploaded = server.post(
                session, "/institutions/import/", {}, files={"file": handle}
            )
        assert uploaded.status_code == 302
        preview = uploaded.headers["Location"]
        assert session.get(server.url + preview, timeout=120).status_code == 200
        confirm = threading.Thread(
            target=lambda: _ignore_errors(server.post, session, preview, {})
        )
        confirm.start()
        # The confirmation writes in one transaction: kill the server once
        # it has written two batches, the transaction still open.
        deadline = time.monotonic() + 120
        while not server.batches_signal.exists():
            assert time.monotonic() < deadline, "the import wrote no batches"
            assert confirm.is_alive(), "the import ended without writing batches"
            time.sleep(0.01)
        assert database.writing("institutions_institution")
        server.kill()
        confirm.join()
        server.start()
        imported = database.value(
            "SELECT COUNT(*) FROM institutions_institution WHERE code LIKE 'KILL-0%'"
        )
        history = database.value(
            "SELECT COUNT(*) FROM institutions_historicalinstitution "
            "WHERE code LIKE 'KILL-0%'"
        )
        # Killed before its commit: nothing of the import remains.
        assert (imported, history) == (0, 0)
        assert requests.get(server.url + "/", timeout=30).status_code == 200
    finally:
        if server.process and server.process.poll() is None:
            server.kill()


def _ignore_errors(function, *args):
    # The server is killed: no response, so nothing was acknowledged.
    with suppress(requests.RequestException):
        function(*args)
