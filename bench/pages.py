"""Benchmark 1: server time of dashboard pages against a trivial page.

Each request goes through Django's WSGI handler in this process (every
middleware, the session and login, the view, the template), and the clock
stops when the last byte of the body has been produced: what a gunicorn worker
spends on the request, without the network. Pages are requested in turn
(trivial, national, province, trivial, …) so that every page sees the same
machine state. Dashboards are cached under a token of the data
(``reports.progress.views.DashboardMixin``); the cold series empties the
cache before each request, to time what the first reader after a write
waits.
"""

import statistics

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .client import InProcess


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 30 values is the 29th)."""
    ordered = sorted(values)
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


def pages_measure(
    pages: dict[str, str],
    *,
    cookie: str,
    requests: int = 30,
    rounds: int = 3,
    cold: bool = False,
) -> dict:
    """For each page: p50 and p95 of ``requests`` timed requests per round,
    the median over ``rounds`` rounds, and its query count. With ``cold``,
    the cache is emptied (untimed) before every request, as after a write:
    each dashboard is computed and rendered anew."""
    client = InProcess(cookie)
    for path in pages.values():
        for _warm_up in range(3):
            _seconds, status, _size = client.get(path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
    per_round: dict[str, list[tuple[float, float]]] = {name: [] for name in pages}
    sizes = {}
    for _round in range(rounds):
        times: dict[str, list[float]] = {name: [] for name in pages}
        for _request in range(requests):
            for name, path in pages.items():
                if cold:
                    cache.clear()
                seconds, status, size = client.get(path)
                if status != 200:
                    raise RuntimeError(f"{path} answered {status}")
                times[name].append(seconds)
                sizes[name] = size
        for name, values in times.items():
            per_round[name].append((percentile(values, 0.5), percentile(values, 0.95)))
    result = {}
    for name, path in pages.items():
        if cold:
            cache.clear()
        result[name] = {
            "path": path,
            "p50_ms": 1000 * statistics.median(p50 for p50, _p95 in per_round[name]),
            "p95_ms": 1000 * statistics.median(p95 for _p50, p95 in per_round[name]),
            "rounds_p50_ms": [round(1000 * p50, 2) for p50, _p95 in per_round[name]],
            "queries": client.queries(path),
            "bytes": sizes[name],
        }
    return result


def _computed(client: InProcess, path: str) -> bool:
    """Whether a GET of ``path`` computed the page anew (it read the progress
    counters) rather than serving it from the cache."""
    from reports.progress.models import InstitutionCount, ReportCount

    tables = {InstitutionCount._meta.db_table, ReportCount._meta.db_table}
    with CaptureQueriesContext(connection) as captured:
        _seconds, status, _size = client.get(path)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    return any(table in query["sql"] for query in captured for table in tables)


def cache_scope_measure(pages: dict[str, str], *, cookie: str, write) -> dict:
    """Which of ``pages`` (name: path) a write recomputes: each is viewed
    twice (the second view must come from the cache), then ``write()`` runs
    and each is viewed once more; ``computed_after_write`` says, per page,
    whether that view computed it anew."""
    client = InProcess(cookie)
    cache.clear()
    cached_before = {}
    for name, path in pages.items():
        _computed(client, path)
        cached_before[name] = not _computed(client, path)
    write()
    after = {name: _computed(client, path) for name, path in pages.items()}
    return {"cached_before_write": cached_before, "computed_after_write": after}


def cold_parts_measure(*, user, year: int, province: str, repeats: int) -> dict:
    """Median milliseconds of each part of a cold national and province page,
    timed by ``bench/cold_parts.py`` (the parts called one by one, in the
    views' order); an ``error`` entry instead when that fails."""
    try:
        from . import cold_parts

        national, local = cold_parts.Clock(), cold_parts.Clock()
        for run in range(repeats + 1):
            if run == 1:  # the first run warms imports and templates up
                national, local = cold_parts.Clock(), cold_parts.Clock()
            cache.clear()
            cold_parts.national_parts(national, user=user, year=year)
            cold_parts.province_parts(local, user=user, year=year, code=province)
        return {"national": national.medians(), "province": local.medians()}
    except Exception as error:  # a broken part timer must not end the run
        message = f"parts not timed: {type(error).__name__}: {error}"
        return {"national": {"error": message}, "province": {"error": message}}
