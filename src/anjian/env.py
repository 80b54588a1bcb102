"""Typed readers for ANJIAN_* environment variables.

Every reader fails loudly (``ImproperlyConfigured``) on a value it cannot parse, naming the variable and what
it expected, so a typo in a deployment never silently falls back to a default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of 1/0, true/false, yes/no, on/off")


def env_int(name: str, default: int, *, minimum: int | None = None, maximum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an integer") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value}: must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise ImproperlyConfigured(f"{name}={value}: must be at most {maximum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not raw.strip():
        raise ImproperlyConfigured(f"{name} is set but empty: expected a directory path")
    return Path(raw).expanduser().resolve()


@dataclass(frozen=True)
class DatabaseURL:
    """A parsed ``postgres://`` or ``sqlite:///`` URL."""

    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: tuple[tuple[str, str], ...] = ()


_ENGINES = {
    "postgres": "django.db.backends.postgresql",
    "postgresql": "django.db.backends.postgresql",
    "pgsql": "django.db.backends.postgresql",
    "sqlite": "django.db.backends.sqlite3",
}


def parse_database_url(url: str, *, variable: str = "ANJIAN_DATABASE_URL") -> DatabaseURL:
    parts = urlsplit(url)
    engine = _ENGINES.get(parts.scheme)
    if engine is None:
        raise ImproperlyConfigured(
            f"{variable}: unsupported scheme {parts.scheme!r}; use postgres://user@host:port/name or sqlite:////path"
        )
    if engine.endswith("sqlite3"):
        # sqlite:////abs/path → /abs/path; sqlite:///relative → relative
        path = unquote(parts.path)[1:]
        if parts.netloc or not path:
            raise ImproperlyConfigured(f"{variable}: a SQLite URL looks like sqlite:////absolute/path/anjian.sqlite3")
        return DatabaseURL(engine=engine, name=path)
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured(f"{variable}: the PostgreSQL URL names no database (…/dbname)")
    try:
        port = str(parts.port or "")
    except ValueError:
        raise ImproperlyConfigured(f"{variable}: the port is not a number") from None
    return DatabaseURL(
        engine=engine,
        name=name,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        host=unquote(parts.hostname or ""),
        port=port,
        options=tuple(parse_qsl(parts.query)),
    )


def database_settings(url: DatabaseURL) -> dict[str, object]:
    """Django's DATABASES entry for a parsed URL, with the options each engine needs here."""
    if url.engine.endswith("sqlite3"):
        return {
            "ENGINE": url.engine,
            "NAME": url.name,
            # Writers queue instead of failing with "database is locked"; WAL lets readers run beside a writer.
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            },
        }
    return {
        "ENGINE": url.engine,
        "NAME": url.name,
        "USER": url.user,
        "PASSWORD": url.password,
        "HOST": url.host,
        "PORT": url.port,
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": postgres_options(dict(url.options)),
    }


def postgres_options(options: dict[str, str]) -> dict[str, str]:
    """The URL's options, with JIT compilation off: the figures' aggregates have high cost estimates, and PostgreSQL
    spent ~2.9 s compiling a query that ran in 0.5 s (a county-year over dataset S); nothing here gains from JIT."""
    server = options.get("options", "")
    if "jit" not in server:
        options["options"] = f"-c jit=off {server}".strip()
    return options


def replica_database_settings(url: DatabaseURL, *, variable: str) -> dict[str, object]:
    """The DATABASES entry for a PostgreSQL streaming read replica (see core/dbrouting.py).

    Its sessions are read-only, so a replica URL that points at a writable server by mistake still refuses
    writes; the test run treats it as a mirror of ``default`` (one test database serves both aliases).
    """
    if not url.engine.endswith("postgresql"):
        raise ImproperlyConfigured(f"{variable}: a read replica must be PostgreSQL (postgres://user@host:port/name)")
    entry = database_settings(url)
    options = postgres_options(dict(url.options))
    options["options"] = f"-c default_transaction_read_only=on {options['options']}".strip()
    return {**entry, "OPTIONS": options, "TEST": {"MIRROR": "default"}}
