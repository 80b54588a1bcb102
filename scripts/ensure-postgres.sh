#!/usr/bin/env bash
# Print a PostgreSQL URL the tests can use, starting one if needed (see ../shared/STACK.md):
#   1. $ANJIAN_TEST_DATABASE_URL if set;  2. the machine's server on 127.0.0.1:5432 (trust auth);
#   3. that server after starting its cluster;  4. a throwaway cluster on port 55432 (installed first if missing).
# Messages go to stderr; the URL alone goes to stdout. A throwaway cluster's directory is written to
# $ANJIAN_PG_TMP_FILE (if set) so the caller can stop it.
set -euo pipefail
say() { echo "$*" >&2; }
python=${PYTHON_BIN:-.venv/bin/python}

reachable() {
  "$python" - "$1" <<'PY' 2>/dev/null
import sys, psycopg
psycopg.connect(sys.argv[1], connect_timeout=3).close()
PY
}

if [ -n "${ANJIAN_TEST_DATABASE_URL:-}" ]; then
  reachable "$ANJIAN_TEST_DATABASE_URL" || { say "error: ANJIAN_TEST_DATABASE_URL is not reachable"; exit 1; }
  echo "$ANJIAN_TEST_DATABASE_URL"; exit 0
fi

local_url="postgres://postgres@127.0.0.1:5432/postgres"
if reachable "$local_url"; then echo "postgres://postgres@127.0.0.1:5432/anjian"; exit 0; fi

if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
  for version in $(ls /etc/postgresql); do
    say "starting PostgreSQL $version (pg_ctlcluster)…"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >/dev/null 2>&1 || true
  done
  for _ in $(seq 1 20); do
    if reachable "$local_url"; then echo "postgres://postgres@127.0.0.1:5432/anjian"; exit 0; fi
    sleep 0.5
  done
fi

initdb=$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$initdb" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing PostgreSQL (apt)…"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    initdb=$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  else
    say "error: no PostgreSQL reachable on 127.0.0.1:5432 and none installed; set ANJIAN_TEST_DATABASE_URL"
    exit 1
  fi
fi
bindir=$(dirname "$initdb")
tmp=$(mktemp -d)
say "starting a throwaway PostgreSQL cluster in $tmp on port 55432…"
if [ "$(id -u)" = 0 ]; then
  chown postgres "$tmp"
  su postgres -s /bin/bash -c "$bindir/initdb -D $tmp/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null && \
    $bindir/pg_ctl -D $tmp/data -l $tmp/log -o '-p 55432 -k $tmp -c listen_addresses=127.0.0.1' -w start >/dev/null"
else
  "$bindir/initdb" -D "$tmp/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/log" -o "-p 55432 -k $tmp -c listen_addresses=127.0.0.1" -w start >/dev/null
fi
[ -n "${ANJIAN_PG_TMP_FILE:-}" ] && echo "$tmp" > "$ANJIAN_PG_TMP_FILE"
echo "postgres://postgres@127.0.0.1:55432/anjian"
