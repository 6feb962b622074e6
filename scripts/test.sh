#!/usr/bin/env bash
# The test command (README, second command; .ci/run calls it): installs what the tests need
# on a Debian machine as root — MariaDB, Redis, Chromium, the MariaDB client headers, Node
# and npm when missing (npm packages from tests/js_sdk/ and core/desk/frontend/ lock files) —
# starts them without systemd when they are not answering, then runs lint and every test
# on SQLite and on MariaDB with Redis and a real Celery worker.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
log() { printf '\n== %s ==\n' "$*"; }

need_pkgs=()
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need_pkgs+=(mariadb-server)
command -v redis-server >/dev/null 2>&1 || need_pkgs+=(redis-server)
dpkg -s libmariadb-dev >/dev/null 2>&1 || need_pkgs+=(libmariadb-dev)
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need_pkgs+=(python3-venv)
command -v gcc >/dev/null 2>&1 || need_pkgs+=(gcc)
command -v node >/dev/null 2>&1 || need_pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || need_pkgs+=(npm)
python3 -c 'import sysconfig,os,sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"],"Python.h")) else 1)' \
  || need_pkgs+=(python3-dev)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  log "installing Debian packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

log "services"
if ! mariadb-admin -uroot --protocol=tcp -h127.0.0.1 ping >/dev/null 2>&1; then
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql --bind-address=127.0.0.1
  for _ in $(seq 1 60); do
    mariadb-admin -uroot --protocol=tcp -h127.0.0.1 ping >/dev/null 2>&1 && break
    sleep 1
  done
fi
mariadb-admin -uroot --protocol=tcp -h127.0.0.1 ping >/dev/null || { echo "MariaDB did not start" >&2; exit 1; }
# root over TCP with an empty password, as a fresh Debian install gives over the socket
mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket" 2>/dev/null || true
echo "MariaDB: $(mariadb -uroot --protocol=tcp -h127.0.0.1 -N -e 'SELECT VERSION()')"
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
echo "Redis: $(redis-cli -h 127.0.0.1 -p 6379 ping)"

log "python environment"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip >/dev/null
.venv/bin/pip install -q -e "apps/layanan_sosial[mariadb,test]"

log "node packages (tests/js_sdk: Frappe's JavaScript client against a real server)"
npm ci --prefix tests/js_sdk --no-audit --no-fund --loglevel=error
log "node packages of the desk (htmx, alpinejs; served from core/desk/frontend/node_modules)"
npm ci --prefix apps/layanan_sosial/layanan_sosial/core/desk/frontend --no-audit --no-fund --loglevel=error

log "lint"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

log "tests"
export LAYANAN_TEST_MARIADB="${LAYANAN_TEST_MARIADB:-mariadb://root@127.0.0.1:3306}"
export LAYANAN_TEST_REDIS="${LAYANAN_TEST_REDIS:-redis://127.0.0.1:6379}"
export LAYANAN_TEST_BACKENDS="sqlite,mariadb"
exec .venv/bin/pytest -q -p no:cacheprovider "$@"
