"""Test settings: fast hashing, plain static storage, database from ``DATABASE_URL``."""

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests log in with the test client, which passes no request to authenticate();
# the throttling tests switch Axes on explicitly.
AXES_ENABLED = False
# Serve static files from the finders; tests do not run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: concurrent writers then meet SQLite's real locking
    # (tests/security/test_concurrency.py), as with `make run`.
    import os
    import tempfile

    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(
            tempfile.gettempdir(), f"lifelong-learning-test-{os.getpid()}.sqlite3"
        )
    }
# A second alias that mirrors the test database, so routing to a replica can be
# tested with two real connections; only tests that enable it use it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
READ_REPLICA_ENABLED = False
# Tasks run at once in tests; a test that needs the worker sets the database
# backend itself.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PORTAL_URL = "http://testserver"
# Each test process keeps its own cache, unless CACHE_URL names a shared one
# (tests/lifelong_learning/test_cache.py runs the pages against a real Redis).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
