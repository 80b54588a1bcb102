#!/usr/bin/env bash
# `make test`: system packages the tests need, a PostgreSQL, then lint, types, migrations and the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
step() { printf '\n==> %s\n' "$*"; }

step "system packages (fonts-noto-cjk, chromium, gettext, poppler-utils, LibreOffice to open the documents)"
missing=()
for pkg in fonts-noto-cjk chromium gettext poppler-utils libreoffice-calc-nogui libreoffice-writer-nogui; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${missing[*]}…"
    (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1) || {
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    }
  else
    echo "warning: missing ${missing[*]} and not root: browser and font tests will fail" >&2
  fi
fi

step "PostgreSQL"
pg_tmp_file=$(mktemp)
export ANJIAN_PG_TMP_FILE=$pg_tmp_file
ANJIAN_TEST_DATABASE_URL=$(PYTHON_BIN=$BIN/python scripts/ensure-postgres.sh)
export ANJIAN_TEST_DATABASE_URL
cleanup() {
  if [ -s "$pg_tmp_file" ]; then
    dir=$(cat "$pg_tmp_file")
    bindir=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
    if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$bindir/pg_ctl -D $dir/data -m fast stop" >/dev/null 2>&1 || true
    else "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
  fi
  rm -f "$pg_tmp_file"
}
trap cleanup EXIT
echo "testing against $ANJIAN_TEST_DATABASE_URL"
# The named database itself (pytest creates test_<name>); makemigrations checks its history against it.
$BIN/python - "$ANJIAN_TEST_DATABASE_URL" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

url = urlsplit(sys.argv[1])
name = url.path.lstrip("/")
with psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
PY

step "lint (ruff)"
$BIN/ruff check src tests
$BIN/ruff format --check src tests

step "types (mypy + django-stubs)"
$BIN/mypy src tests

step "migrations are complete (makemigrations --check)"
DJANGO_SETTINGS_MODULE=tests.settings $BIN/python -m django makemigrations --check --dry-run

step "test suite (pytest on PostgreSQL, browser tests in Chromium)"
set +e
$BIN/pytest -p no:cacheprovider "$@"
status=$?
set -e
if [ $status -eq 5 ]; then
  echo "error: pytest collected no tests — that is a failure, not a pass" >&2
  exit 1
fi
exit $status
