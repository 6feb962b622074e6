"""The `layanan` command as operators and scripts use it: real processes, real databases."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from layanan_sosial.core.db.engine import normalise_url
from layanan_sosial.core.site import sites
from layanan_sosial.core.sites_admin import drop_mariadb_database
from layanan_sosial.core.users import check_password

LAYANAN = [sys.executable, "-m", "layanan_sosial.core.cli.main"]
MARIADB_ROOT = os.environ.get("LAYANAN_TEST_MARIADB", "mariadb://root@127.0.0.1:3306")
ADMIN_PASSWORD = "Admin-Kupang-2026!"


@pytest.fixture
def bench(tmp_path):
    root = tmp_path / "sites"
    root.mkdir()
    env = {**os.environ, "LAYANAN_SITES_DIR": str(root)}
    created: list[str] = []

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*LAYANAN, *args], capture_output=True, text=True, env=env, timeout=120
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"layanan {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            )
        return result

    run.root = root  # type: ignore[attr-defined]
    run.env = env  # type: ignore[attr-defined]
    run.created = created  # type: ignore[attr-defined]
    yield run
    for name in created:
        config = json.loads((root / name / "site_config.json").read_text())
        if config["db_url"].startswith("mariadb"):
            root_url = sa.engine.make_url(
                normalise_url(MARIADB_ROOT).render_as_string(hide_password=False)
            )
            drop_mariadb_database(
                config["db_url"], root_url.username or "root", root_url.password or ""
            )
        sites.forget(name, root)


def _new_site(bench, name: str, *extra: str) -> None:
    bench("new-site", name, "--admin-password", ADMIN_PASSWORD, *extra)
    bench.created.append(name)


def test_new_site_sqlite_use_migrate_and_duplicate(bench):
    _new_site(bench, "satu.test")
    assert (bench.root / "satu.test" / "site.db").exists()
    assert (bench.root / "currentsite.txt").read_text().strip() == "satu.test"
    again = bench("new-site", "satu.test", check=False)
    assert again.returncode != 0
    assert "sudah ada" in again.stderr and "Traceback" not in again.stderr
    first = bench("migrate").stdout
    assert "berubah: tidak ada" in first
    _new_site(bench, "dua.test")
    bench("use", "dua.test")
    assert (bench.root / "currentsite.txt").read_text().strip() == "dua.test"


def test_new_site_on_mariadb_gets_its_own_database_user(bench):
    _new_site(bench, "maria.test", "--db-url", MARIADB_ROOT)
    config = json.loads((bench.root / "maria.test" / "site_config.json").read_text())
    url = sa.engine.make_url(config["db_url"])
    assert url.username not in ("root", None) and url.password
    engine = sa.create_engine(normalise_url(config["db_url"]))
    with engine.connect() as conn:  # the site's own user can reach its tables
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM `tabUser`").scalar() >= 2
    engine.dispose()


def test_users_passwords_keys_and_execute(bench):
    _new_site(bench, "pengguna.test")
    bench(
        "add-user",
        "ani@dinsos.id",
        "--first-name",
        "Ani",
        "--password",
        "Kupang-Lontar-2026!",
        "--roles",
        "System Manager",
    )
    bad = bench("add-user", "x@dinsos.id", "--roles", "Peran Khayalan", check=False)
    assert bad.returncode != 0 and "Peran Khayalan" in bad.stderr
    bench("set-admin-password", "Kata-Sandi-Baru-2026")
    keys = bench("generate-keys", "ani@dinsos.id").stdout
    assert "api_key:" in keys and "api_secret:" in keys
    roles = bench(
        "execute", "layanan_sosial.core.users.get_roles", "--kwargs", '{"user": "ani@dinsos.id"}'
    )
    assert "System Manager" in json.loads(roles.stdout)
    bad_json = bench(
        "execute", "layanan_sosial.core.users.get_roles", "--kwargs", "{nope", check=False
    )
    assert bad_json.returncode != 0 and "JSON" in bad_json.stderr
    site = sites.get("pengguna.test", bench.root)
    with site.begin() as ctx:
        assert check_password(ctx, "ani@dinsos.id", "Kupang-Lontar-2026!")
        assert check_password(ctx, "Administrator", "Kata-Sandi-Baru-2026")


@pytest.mark.parametrize("backend", ["sqlite", "mariadb"])
def test_backup_and_restore_round_trip(bench, backend):
    name = f"cadangan-{backend}.test"
    _new_site(bench, name, *(["--db-url", MARIADB_ROOT] if backend == "mariadb" else []))
    bench("--site", name, "add-user", "sebelum@dinsos.id")
    files = bench("--site", name, "backup", "--with-files").stdout.split()
    dump = Path(files[0])
    assert dump.exists() and dump.name.endswith("-database.sql.gz") and len(files) == 3
    bench("--site", name, "add-user", "sesudah@dinsos.id")
    bench("--site", name, "restore", str(dump))
    site = sites.get(name, bench.root)
    with site.begin() as ctx:
        assert ctx.exists("User", "sebelum@dinsos.id")
        assert not ctx.exists("User", "sesudah@dinsos.id")


def test_expected_failures_are_one_line_without_traceback(bench):
    missing = bench("--site", "tidak-ada.test", "migrate", check=False)
    assert missing.returncode != 0
    assert missing.stderr.startswith("Error:") and "Hint:" in missing.stderr
    assert "Traceback" not in missing.stderr
    unreachable = bench(
        "new-site", "putus.test", "--db-url", "mariadb://root@127.0.0.1:1", check=False
    )
    assert unreachable.returncode != 0 and "Traceback" not in unreachable.stderr
    assert not (bench.root / "putus.test").exists()
    bad_name = bench("new-site", "Nama Salah!", check=False)
    assert bad_name.returncode != 0 and "tidak valid" in bad_name.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_and_picks_the_site_by_host(bench):
    _new_site(bench, "alpha.test")
    _new_site(bench, "beta.test")
    bench("use", "alpha.test")
    port = _free_port()
    proc = subprocess.Popen(
        [*LAYANAN, "serve", "--port", str(port)],
        env=bench.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/api/method/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert httpx.get(base + "/", headers={"Host": "beta.test"}).text.count("beta.test") >= 1
        assert "alpha.test" in httpx.get(base + "/").text  # unknown host → default site
        login = httpx.post(
            base + "/api/method/login",
            json={"usr": "Administrator", "pwd": ADMIN_PASSWORD},
            headers={"Host": "beta.test"},
        )
        assert login.json()["message"] == "Logged In"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
