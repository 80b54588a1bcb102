"""Settings for the test suite: the production settings, on PostgreSQL, with fast password hashing."""

import os

os.environ.setdefault("ANJIAN_SECRET_KEY", "test-secret-key-not-for-production-" + "x" * 30)
os.environ.setdefault("ANJIAN_HTTPS", "0")

from anjian.env import database_settings, parse_database_url
from anjian.settings import *  # noqa: F403

DATABASES = {
    "default": database_settings(
        parse_database_url(
            os.environ.get("ANJIAN_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/anjian"),
            variable="ANJIAN_TEST_DATABASE_URL",
        )
    )
}
DATABASES["default"]["CONN_MAX_AGE"] = 0
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

# Empty: tests serve static files through the finders (no collectstatic).
STATIC_ROOT = Path(tempfile.gettempdir()) / "anjian-test-static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
