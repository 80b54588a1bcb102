"""Production settings: `check --deploy` is clean; bad configuration fails loudly; the demo path works on SQLite."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from anjian import env

PRODUCTION_ENV = {
    "ANJIAN_SECRET_KEY": "k" * 20 + "Qz8#vL2@pW9!mN4$xR7&tY1^uB5*eC3%",
    "ANJIAN_ALLOWED_HOSTS": "anjian.example.gov.cn",
    "ANJIAN_DEBUG": "0",
    "ANJIAN_DATABASE_URL": "postgres://anjian@127.0.0.1:5432/anjian",
    "DJANGO_SETTINGS_MODULE": "anjian.settings",
}


def _clean_env(**extra: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ANJIAN_") and k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    return {**base, **extra}


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_clean_env(**PRODUCTION_ENV, ANJIAN_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_fails_loudly(tmp_path: Path) -> None:
    settings_env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ANJIAN_SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=_clean_env(**settings_env, ANJIAN_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0 and "ANJIAN_SECRET_KEY" in result.stderr


def test_the_wsgi_worker_loads_everything_then_freezes_it_out_of_the_collector(tmp_path: Path) -> None:
    """A worker's long-lived objects (Django, the models, the URLconf and the API) are frozen at import, so a full
    garbage collection during a request walks only what the request made."""
    probe = (
        "import gc, sys; import anjian.wsgi; "
        "print(gc.get_freeze_count(), 'anjian.api' in sys.modules, 'anjian.stats.views_dashboard' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=_clean_env(**PRODUCTION_ENV, ANJIAN_DATA_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    frozen, api_loaded, views_loaded = result.stdout.split()
    assert int(frozen) > 50_000 and api_loaded == views_loaded == "True"


def test_typed_env_helpers_reject_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("X_BOOL", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env.env_bool("X_BOOL", False)
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_INT"):
        env.env_int("X_INT", 1)
    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("X_INT", 1, minimum=1)
    with pytest.raises(ImproperlyConfigured, match="scheme"):
        env.parse_database_url("mysql://x@y/z")
    with pytest.raises(ImproperlyConfigured):
        env.parse_database_url("postgres://x@y:5432/")
    parsed = env.parse_database_url("postgres://u:p%40ss@db.example:6543/anjian?sslmode=require")
    assert (parsed.user, parsed.password, parsed.host, parsed.port, parsed.name) == (
        "u",
        "p@ss",
        "db.example",
        "6543",
        "anjian",
    )
    assert dict(parsed.options) == {"sslmode": "require"}
    assert env.parse_database_url("sqlite:////var/lib/anjian/db.sqlite3").name == "/var/lib/anjian/db.sqlite3"


@pytest.mark.slow
def test_demo_prepares_a_sqlite_county_and_keeps_it(tmp_path: Path) -> None:
    """`anjian demo` on SQLite: migrate, load, collect static, print the logins; a second run keeps the data."""
    run_env = _clean_env(ANJIAN_DATA_DIR=str(tmp_path), ANJIAN_DEMO_PASSWORD="Demo-pass-2026")
    first = subprocess.run(
        [sys.executable, "-m", "anjian", "demo", "--no-serve"],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert first.returncode == 0, first.stderr[-3000:]
    for username in ("admin", "anweiban", "yingji", "zhujian", "zhen1", "wangge1", "qiye1", "zhigong1"):
        assert username in first.stdout
    assert "http://127.0.0.1:8000" in first.stdout and "Demo-pass-2026" in first.stdout
    database = tmp_path / "anjian.sqlite3"
    with sqlite3.connect(database) as db:
        enterprises = db.execute("SELECT count(*) FROM enterprises_enterprise").fetchone()[0]
        towns = db.execute("SELECT count(*) FROM regions_region WHERE level = 4").fetchone()[0]
        departments = db.execute("SELECT count(*) FROM orgs_department WHERE kind = 'regulator'").fetchone()[0]
        bad = db.execute("SELECT uscc FROM enterprises_enterprise").fetchall()
    assert 190 <= enterprises <= 230 and towns >= 8 and departments >= 10
    from anjian.enterprises.uscc import is_valid

    assert all(is_valid(code) for (code,) in bad)
    second = subprocess.run(
        [sys.executable, "-m", "anjian", "demo", "--no-serve"],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert second.returncode == 0 and "already loaded" in second.stdout
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM enterprises_enterprise").fetchone()[0] == enterprises
    verify = subprocess.run(
        [sys.executable, "-m", "anjian", "manage", "audit_verify"],
        env=run_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert verify.returncode == 0 and "intact" in verify.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_demo_serves_the_sign_in_page_and_stops_cleanly(tmp_path: Path) -> None:
    """The demo's server and worker start, the sign-in page answers in Chinese, and SIGTERM stops both."""
    import signal
    import time
    import urllib.request

    port = _free_port()
    run_env = _clean_env(ANJIAN_DATA_DIR=str(tmp_path), ANJIAN_DEMO_PASSWORD="Demo-pass-2026")
    demo = subprocess.Popen(
        [sys.executable, "-m", "anjian", "demo", "--port", str(port)],
        env=run_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert "登录" in body and "qiye1" in body  # Chinese, with the demo logins listed
        children = subprocess.run(["pgrep", "-g", str(demo.pid)], capture_output=True, text=True, check=False)
        assert len(children.stdout.split()) >= 3  # the CLI, gunicorn and the worker
        demo.send_signal(signal.SIGTERM)
        demo.wait(timeout=60)
        time.sleep(1)
        left = subprocess.run(["pgrep", "-g", str(demo.pid)], capture_output=True, text=True, check=False)
        assert left.stdout.strip() == "", "no orphaned worker or server"
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
