"""The benchmarks' HTTP client in process: a logged-in session and requests
through Django's WSGI handler, timed until the last byte of the body."""

import time
from http.cookies import SimpleCookie

from django.conf import settings
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
    """Calls the WSGI application directly and times it; keeps the cookies
    the answers set (the CSRF cookie of a form), as a browser would."""

    def __init__(self, cookie: str):
        self.app = WSGIHandler()
        self.factory = RequestFactory()
        self.cookies = SimpleCookie(cookie)
        self.last_body = b""

    @property
    def cookie(self) -> str:
        return "; ".join(f"{name}={m.value}" for name, m in self.cookies.items())

    def request(self, environ: dict) -> tuple[float, int, int]:
        """Seconds, status code and body size of one request (the body is
        kept in ``last_body``)."""
        answer = []

        def start_response(line, headers, exc_info=None):
            answer.append((int(line.split()[0]), headers))

        started = time.perf_counter()
        result = self.app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            result.close()
        seconds = time.perf_counter() - started
        status, headers = answer[0]
        for name, value in headers:
            if name.lower() == "set-cookie":
                self.cookies.load(value)
        self.last_body = body
        return seconds, status, len(body)

    def get(self, path: str) -> tuple[float, int, int]:
        """Seconds, status code and body size of one GET."""
        return self.request(self.factory.get(path, HTTP_COOKIE=self.cookie).environ)

    def post(self, path: str, data: dict) -> tuple[float, int, int]:
        """Seconds, status code and body size of one form POST."""
        request = self.factory.post(path, data, HTTP_COOKIE=self.cookie)
        return self.request(request.environ)

    def queries(self, path: str) -> int:
        """Database queries of one GET (counted on a separate, untimed request)."""
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            _seconds, status, _size = self.get(path)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
        return len(captured)
