"""Settings shared by every environment, read from environment variables."""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
CSRF_FAILURE_VIEW = "lifelong_learning.views.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "jobs",
    "institutions",
    "targets",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lifelong_learning.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lifelong_learning.sessions.SessionExpiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # AxesMiddleware must come last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lifelong_learning.urls"
WSGI_APPLICATION = "lifelong_learning.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lifelong_learning.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue instead of failing with "database is locked": a write
    # transaction takes the lock when it begins (IMMEDIATE) and waits up to 20 s
    # for it, so the loser of a race meets the version check (409) as it does
    # on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# A streaming replica of the primary: dashboards read from it (see db.py).
READ_REPLICA_ENABLED = bool(env("DATABASE_REPLICA_URL", default=""))
if READ_REPLICA_ENABLED:
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
DATABASE_ROUTERS = ["lifelong_learning.db.ReplicaRouter"]
# Every gunicorn worker (and every instance) shares this cache: Redis in
# production (CACHE_URL=redis://host:6379/0), files under var/cache on one
# machine otherwise. Dashboards keep their pages in it (reports/progress/views.py).
CACHES = {
    "default": env.cache(
        "CACHE_URL", default=f"filecache://{BASE_DIR / 'var' / 'cache'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses logins while an account or address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after AXES_FAILURE_LIMIT failures for a username from one
# address, that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The client's address behind TRUSTED_PROXY_COUNT reverse proxies (1 for the
# nginx of docs/deployment.md): lockouts are per (login, client address), not
# per proxy address (lifelong_learning/clients.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "lifelong_learning.clients.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reports:dashboard"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["lifelong_learning.formats"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    # Plotly's partial bundle of the traces the charts use (bar, scatter).
    ("vendor/plotly", BASE_DIR / "node_modules" / "plotly.js-basic-dist-min"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# django-filter's empty choice ("---------" by default) in words.
FILTERS_EMPTY_CHOICE_LABEL = _("All")
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

ADMIN_URL = env("ADMIN_URL", default="admin/")

# Content-Security-Policy: every script and font comes from the portal itself and
# no page runs inline script. Styles allow inline because Plotly sizes its charts
# with style attributes.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Files over the limit are refused by the forms; on disk at most the limit is kept.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "lifelong_learning.uploads.SizeLimitedUploadHandler",
]

# The most rows a page of any list shows, and the API returns, whatever the
# address asks for (?per_page=, ?page_size=): lifelong_learning.pagination.
MAX_PAGE_SIZE = 200

# Read-only JSON API (reports/api.py): session or token authentication, every
# endpoint scoped by role like the pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request then gets 401 with a
        # WWW-Authenticate header instead of a bare 403.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # reports.api.views.Pagination adds ?page_size= (up to MAX_PAGE_SIZE) on its lists.
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    # The anonymous release endpoints (reports.api.releases) are throttled per
    # client in the cache; the client's address is read as for login throttling.
    "DEFAULT_THROTTLE_RATES": {
        "releases": env.str("RELEASES_THROTTLE_RATE", default="120/minute")
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Decision 1520 lifelong-learning portal API",
    "DESCRIPTION": "Read-only data of the portal: provinces, institutions, "
    "annual reports and progress towards the targets of Decision 1520/QĐ-TTg.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ReportStatusEnum": "reports.models.ReportStatus",
        "ProgressStatusEnum": "reports.progress.progress.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Background work (Django's tasks framework): notices' e-mail goes out from a
# worker, `manage.py db_worker`, which `make run` starts beside the server.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}


# E-mail (Django's MAILERS): printed to the console unless EMAIL_URL names an
# SMTP server, e.g. smtp+tls://user:password@mail.example.vn:587
# (docs/deployment.md).
def mailers(url: str) -> dict:
    """Django's MAILERS for an e-mail address URL (``consolemail://``,
    ``smtp+tls://user:password@host:587``)."""
    email = environ.Env.email_url_config(url)
    backend = email["EMAIL_BACKEND"]
    options = {}
    if backend.endswith("smtp.EmailBackend"):
        options = {
            "host": email["EMAIL_HOST"],
            "port": email["EMAIL_PORT"],
            "username": email["EMAIL_HOST_USER"],
            "password": email["EMAIL_HOST_PASSWORD"],
            "use_tls": email.get("EMAIL_USE_TLS", False),
            "use_ssl": email.get("EMAIL_USE_SSL", False),
        }
    return {"default": {"BACKEND": backend, "OPTIONS": options}}


MAILERS = mailers(env("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="cong-1520@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address links in e-mails point to (no request to take it from).
PORTAL_URL = env("PORTAL_URL", default="http://127.0.0.1:8000")

# Official releases (reports.releases): the agency named as their publisher on
# the public pages, in the files and in the DCAT catalogue, and the licence
# the open data is published under.
RELEASE_PUBLISHER = env.str(
    "RELEASE_PUBLISHER", default="Bộ Văn hóa, Thể thao và Du lịch"
)
RELEASE_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
