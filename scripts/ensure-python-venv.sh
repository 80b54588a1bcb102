#!/usr/bin/env bash
# Debian ships python3 without the venv module (package python3-venv); install it when we are root.
set -euo pipefail
python=${1:-python3}
if "$python" -c 'import ensurepip, venv' 2>/dev/null; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  version=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  echo "installing python${version}-venv (Debian packages it separately)…"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${version}-venv" >/dev/null || \
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  exit 0
fi
echo "error: $python cannot create virtual environments; install the python3-venv package" >&2
exit 1
