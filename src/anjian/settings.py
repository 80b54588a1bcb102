"""Django settings for anjian, read from ANJIAN_* environment variables (see docs/configuration.md).

Defaults are safe for production: DEBUG off, HTTPS-only cookies, HSTS. ``anjian demo`` turns HTTPS off for its
local http://127.0.0.1 server; nothing else does.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from anjian.env import (
    database_settings,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
    parse_database_url,
    replica_database_settings,
)

PACKAGE_DIR = Path(__file__).resolve().parent

DATA_DIR = env_path("ANJIAN_DATA_DIR", Path.home() / ".local" / "share" / "anjian")
DEBUG = env_bool("ANJIAN_DEBUG", False)
HTTPS = env_bool("ANJIAN_HTTPS", not DEBUG)
DEMO_MODE = env_bool("ANJIAN_DEMO", False)  # set by `anjian demo`: shows the demo logins on the sign-in page


def _secret_key() -> str:
    key = env_str("ANJIAN_SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.is_file():
        return key_file.read_text(encoding="utf-8").strip()
    if DEBUG:
        return "debug-only-key-" + "x" * 40
    raise ImproperlyConfigured(
        "ANJIAN_SECRET_KEY is not set and no secret_key file exists in ANJIAN_DATA_DIR "
        f"({DATA_DIR}). Set it to a long random string, e.g. "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ANJIAN_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("ANJIAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "django_filters",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "anjian.core",
    "anjian.regions",
    "anjian.enterprises",
    "anjian.orgs",
    "anjian.hazards",
    "anjian.inspections",
    "anjian.risks",
    "anjian.notifications",
    "anjian.stats",
    "anjian.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "anjian.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anjian.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "anjian.core.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "anjian.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anjian.urls"
WSGI_APPLICATION = "anjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anjian.web.context_processors.shell",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    }
]
FORM_RENDERER = "anjian.web.renderers.FormRenderer"  # Django's, with selects drawn in Python

DATABASES = {
    "default": database_settings(
        parse_database_url(env_str("ANJIAN_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'anjian.sqlite3'}")
    )
}
# Optional PostgreSQL streaming replica: only reads inside ``reading_replica()`` go there (core/dbrouting.py).
_replica_url = env_str("ANJIAN_REPLICA_DATABASE_URL")
if _replica_url:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("ANJIAN_REPLICA_DATABASE_URL needs a PostgreSQL ANJIAN_DATABASE_URL (the primary)")
    DATABASES["replica"] = replica_database_settings(
        parse_database_url(_replica_url, variable="ANJIAN_REPLICA_DATABASE_URL"),
        variable="ANJIAN_REPLICA_DATABASE_URL",
    )
del _replica_url
DATABASE_ROUTERS = ["anjian.core.dbrouting.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out accounts before any password check
    "rules.permissions.ObjectPermissionBackend",
    "anjian.orgs.backends.ModelBackend",  # Django's, joining what the scope reads
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# A profile name, not a password: "dengbao" (等保: ≥ 8 chars, 3 classes) or "asvs" (≥ 12 chars).
CREDENTIAL_RULES = env_str("ANJIAN_CREDENTIAL_RULES", "dengbao") or "dengbao"
if CREDENTIAL_RULES not in {"dengbao", "asvs"}:
    raise ImproperlyConfigured(f"ANJIAN_CREDENTIAL_RULES={CREDENTIAL_RULES!r}: expected 'dengbao' or 'asvs'")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12 if CREDENTIAL_RULES == "asvs" else 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if CREDENTIAL_RULES != "asvs":
    AUTH_PASSWORD_VALIDATORS.append({"NAME": "anjian.core.passwords.CharacterClassValidator"})

# Lockout: 5 failures lock the account for 15 minutes (QUALITY.md security 2).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Lock the account, not the address: a township office shares one NAT address, and one person's typos must
# not lock out every colleague (hence axes.W006 is silenced below).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "otp", "token"]
AXES_CLIENT_IP_CALLABLE = "anjian.core.middleware.axes_client_ip"
AXES_LOCKOUT_CALLABLE = "anjian.web.views.auth.lockout_response"

# Sessions: 30 minutes idle (refreshed by SessionLifetimeMiddleware), 12 hours absolute.
SESSION_COOKIE_AGE = 30 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "anjian_session"
CSRF_COOKIE_NAME = "anjian_csrftoken"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "anjian_language"
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env_path("ANJIAN_STATIC_ROOT", DATA_DIR / "static")
MEDIA_ROOT = env_path("ANJIAN_MEDIA_ROOT", DATA_DIR / "media")  # never served directly: views check scope
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Source maps are not compressed (large and rarely fetched); only hashed copies are kept (half the work).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    "jpg",
    "jpeg",
    "png",
    "gif",
    "webp",
    "zip",
    "gz",
    "tgz",
    "bz2",
    "tbz",
    "xz",
    "br",
    "swf",
    "flv",
    "woff",
    "woff2",
    "3gp",
    "3gpp",
    "asf",
    "avi",
    "m4v",
    "mov",
    "mp4",
    "mpeg",
    "mpg",
    "webm",
    "wmv",
    "map",
]
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Exports above this many rows run as a background job with progress; smaller ones download at once.
EXPORT_INLINE_LIMIT = env_int("ANJIAN_EXPORT_INLINE_LIMIT", 2000, minimum=0)
IMPORT_MAX_ROWS = env_int("ANJIAN_IMPORT_MAX_ROWS", 20000, minimum=1)
# The hazard escalation ladder (nightly): warn this many days before the deadline; overdue beyond the next two
# thresholds goes to the town's, then the county's safety committee office.
ESCALATION_WARN_DAYS = env_int("ANJIAN_ESCALATION_WARN_DAYS", 3, minimum=0, maximum=60)
ESCALATION_TOWN_DAYS = env_int("ANJIAN_ESCALATION_TOWN_DAYS", 7, minimum=1, maximum=365)
ESCALATION_COUNTY_DAYS = env_int("ANJIAN_ESCALATION_COUNTY_DAYS", 30, minimum=1, maximum=730)
# Days the supervising department has to review a major hazard's resumption application on site (16号令).
RESUMPTION_REVIEW_DAYS = env_int("ANJIAN_RESUMPTION_REVIEW_DAYS", 10, minimum=1, maximum=90)
# Days after an order's rectification deadline by which the department reinspects (复查; 10 in most provinces).
REINSPECTION_DAYS = env_int("ANJIAN_REINSPECTION_DAYS", 10, minimum=0, maximum=90)
# A risk assessment is due again this many days after the last (re-assessment at least yearly is common practice).
RISK_REASSESS_DAYS = env_int("ANJIAN_RISK_REASSESS_DAYS", 365, minimum=30, maximum=1095)
if ESCALATION_COUNTY_DAYS <= ESCALATION_TOWN_DAYS:
    raise ImproperlyConfigured("ANJIAN_ESCALATION_COUNTY_DAYS must be larger than ANJIAN_ESCALATION_TOWN_DAYS")

# Security headers (QUALITY.md security 8).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # nginx must set this header (docs)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

NINJA_PAGINATION_PER_PAGE = 20
NINJA_PAGINATION_MAX_PER_PAGE_SIZE = 200

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("ANJIAN_EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("ANJIAN_EMAIL_HOST", "") or ""
EMAIL_PORT = env_int("ANJIAN_EMAIL_PORT", 25, minimum=1, maximum=65535)
DEFAULT_FROM_EMAIL = env_str("ANJIAN_EMAIL_FROM", "anjian@localhost") or "anjian@localhost"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "anjian.core.middleware.RequestContextLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_context"]},
    },
    "root": {"handlers": ["console"], "level": env_str("ANJIAN_LOG_LEVEL", "INFO") or "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

ANJIAN_SITE_NAME = _("anjian work-safety supervision")
