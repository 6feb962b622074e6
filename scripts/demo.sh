#!/usr/bin/env bash
# The README's first command: install into .venv and serve a demo site on the embedded
# default (SQLite, in-process jobs) at http://127.0.0.1:8000, in the foreground.
#
# For a fresh Debian 12 machine as root with python3 (3.11+), node and git: installs
# python3-venv with apt only when venvs cannot be made, and no other system package (the
# MariaDB driver is an extra that this path does not need). Safe to run again: the demo
# site is kept (and migrated), and its Administrator login is printed again.
#
#   LAYANAN_DEMO_SITE (demo.localhost)  LAYANAN_DEMO_HOST (127.0.0.1)  LAYANAN_DEMO_PORT (8000)
set -euo pipefail
cd "$(dirname "$0")/.."
SITE="${LAYANAN_DEMO_SITE:-demo.localhost}"
HOST="${LAYANAN_DEMO_HOST:-127.0.0.1}"
PORT="${LAYANAN_DEMO_PORT:-8000}"
log() { printf '\n== %s ==\n' "$*"; }

if ! python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Error: Python 3.11 or newer is needed (found $(python3 --version 2>&1))" >&2
  exit 1
fi
# Debian ships venv without ensurepip until python3-venv is installed
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  log "installing python3-venv"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq python3-venv >/dev/null
fi

log "installing Layanan Sosial Terpadu into .venv"
# a .venv without pip (made before python3-venv was there) is completed, not kept broken
[ -x .venv/bin/pip ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e apps/layanan_sosial
if [ -f apps/layanan_sosial/package.json ]; then
  log "npm install (apps/layanan_sosial)"
  (cd apps/layanan_sosial && npm install --no-audit --no-fund --loglevel=error)
fi
DESK_FRONTEND=apps/layanan_sosial/layanan_sosial/core/desk/frontend
if command -v npm >/dev/null 2>&1; then
  log "npm packages of the desk (htmx, alpinejs, quill)"
  npm ci --prefix "$DESK_FRONTEND" --no-audit --no-fund --loglevel=error
else
  echo "npm not found: the desk at /app needs it (apt-get install npm), the API works without" >&2
fi

export LAYANAN_SITES_DIR="$PWD/sites"
unset LAYANAN_SITE
mkdir -p sites
if [ ! -f "sites/$SITE/site_config.json" ]; then
  log "creating the demo site $SITE (SQLite)"
  password="$(.venv/bin/python -c 'import secrets; print("Demo-" + secrets.token_urlsafe(12))')"
  # --demo keeps this password in the site's site_config.json ("demo_admin_password")
  .venv/bin/layanan new-site "$SITE" --demo --admin-password "$password"
else
  log "updating the demo site $SITE"
  .venv/bin/layanan --site "$SITE" migrate
fi
.venv/bin/layanan use "$SITE" >/dev/null
password="$(.venv/bin/python - "$SITE" <<'PY'
import json, sys
config = json.load(open(f"sites/{sys.argv[1]}/site_config.json", encoding="utf-8"))
print(config.get("demo_admin_password") or "(tidak tersimpan: layanan set-admin-password SANDI)")
PY
)"
user_password="$(.venv/bin/python - "$SITE" <<'PY'
import json, sys
config = json.load(open(f"sites/{sys.argv[1]}/site_config.json", encoding="utf-8"))
print(config.get("demo_user_password") or "-")
PY
)"

cat <<INFO

  Layanan Sosial Terpadu — situs demo $SITE
  Buka:   http://$HOST:$PORT
  Masuk:  Administrator  /  $password
  Pengguna demo per peran (mis. fo.kupang@demo.layanan.id, lihat daftar saat situs dibuat):
          kata sandi bersama  $user_password
  (Ctrl+C untuk berhenti; jalankan lagi bash scripts/demo.sh untuk memulai kembali)

INFO
exec .venv/bin/layanan --site "$SITE" serve --host "$HOST" --port "$PORT"
