"""Settings of ``make lighthouse``: production's, plus gzip of the pages.

In production the reverse proxy compresses the HTML (docs/deployment.md) and
WhiteNoise the static files; gunicorn is measured here without a proxy, so
Django's GZipMiddleware (with its BREACH mitigation) stands in for it.
"""

from lifelong_learning.settings.production import *  # noqa: F403
from lifelong_learning.settings.production import MIDDLEWARE

MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *MIDDLEWARE]
