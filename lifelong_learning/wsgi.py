"""WSGI entry point (gunicorn lifelong_learning.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lifelong_learning.settings.production")

application = get_wsgi_application()
