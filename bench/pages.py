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
import time

from django.conf import settings
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, reset_queries
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext


def session_cookie(user) -> str:
    """A logged-in session of ``user`` (stored in the database, as in
    production), as a ``Cookie`` header value."""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


class InProcess:
    """Calls the WSGI application directly and times it."""

    def __init__(self, cookie: str):
        self.app = WSGIHandler()
        self.factory = RequestFactory()
        self.cookie = cookie

    def get(self, path: str) -> tuple[float, int, int]:
        """Seconds, status code and body size of one GET."""
        environ = self.factory.get(path, HTTP_COOKIE=self.cookie).environ
        status = []

        def start_response(line, headers, exc_info=None):
            status.append(int(line.split()[0]))

        started = time.perf_counter()
        result = self.app(environ, start_response)
        try:
            size = sum(len(chunk) for chunk in result)
        finally:
            result.close()
        return time.perf_counter() - started, status[0], size

    def queries(self, path: str) -> int:
        """Database queries of one GET (counted on a separate, untimed request)."""
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            _seconds, status, _size = self.get(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        return len(captured)


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
