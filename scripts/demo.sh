#!/usr/bin/env bash
# The README's first command: install into .venv and serve a demo site on the embedded
# default (SQLite, in-process jobs) at http://127.0.0.1:8000. Safe to run again: the demo
# site is kept and its login is printed again. Needs python3 (3.11), node and git.
set -euo pipefail
cd "$(dirname "$0")/.."
SITE="${LAYANAN_DEMO_SITE:-demo.localhost}"
PORT="${LAYANAN_DEMO_PORT:-8000}"

if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "== installing python3-venv =="
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
echo "== installing Layanan Sosial Terpadu into .venv =="
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e apps/layanan_sosial
if [ -f apps/layanan_sosial/package.json ]; then
  (cd apps/layanan_sosial && npm install --no-audit --no-fund --loglevel=error)
fi

export LAYANAN_SITES_DIR="$PWD/sites"
if [ ! -f "sites/$SITE/site_config.json" ]; then
  password="$(.venv/bin/python -c 'import secrets; print("Demo-" + secrets.token_urlsafe(9))')"
  .venv/bin/layanan new-site "$SITE" --demo --admin-password "$password"
else
  .venv/bin/layanan --site "$SITE" migrate
fi
.venv/bin/layanan use "$SITE" >/dev/null
password="$(.venv/bin/python -c "import json,sys; print(json.load(open('sites/$SITE/site_config.json')).get('demo_admin_password', '(lihat keluaran new-site)'))")"
cat <<INFO

  Layanan Sosial Terpadu berjalan di http://127.0.0.1:$PORT
  Masuk:  Administrator  /  $password
  (Ctrl+C untuk berhenti; jalankan lagi perintah ini untuk memulai kembali)

INFO
exec .venv/bin/layanan --site "$SITE" serve --host 127.0.0.1 --port "$PORT"
