"""Settings of the benchmarks: the production stack (``DEBUG`` off, the same
middleware, templates and database settings) plus a trivial reference page.

Static files are served from the finders, so no ``collectstatic`` is needed;
the pages measured here are HTML only.
"""

from lifelong_learning.settings.base import *  # noqa: F403
from lifelong_learning.settings.base import BASE_DIR, TEMPLATES

DEBUG = False
SECRET_KEY = "bench-only-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Each gunicorn worker keeps its database connection, as in production.
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
