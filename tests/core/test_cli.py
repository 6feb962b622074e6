"""The `layanan` command as operators and scripts use it (the contract in the README)."""

from __future__ import annotations

import json
import subprocess

import pytest
import sqlalchemy as sa
from site_bench import (
    ADMIN_PASSWORD,
    LAYANAN,
    MARIADB_ROOT,
    error_lines,
    mariadb_admin,
    needs_mariadb,
    open_bench,
)

from layanan_sosial.core import sites_admin
from layanan_sosial.core.auth.apikeys import user_for_keys
from layanan_sosial.core.db.engine import normalise_url
from layanan_sosial.core.site import sites
from layanan_sosial.core.users import check_password


@pytest.fixture
def bench(tmp_path, monkeypatch):
    yield from open_bench(tmp_path, monkeypatch)


def _site(bench, name):
    return sites.get(name, bench.root)


def test_new_site_sqlite_use_migrate_and_duplicate(bench):
    """Real processes: what an operator types."""
    out = bench.run("new-site", "satu.test", "--admin-password", ADMIN_PASSWORD).stdout
    assert "Administrator" in out and ADMIN_PASSWORD in out
    assert (bench.root / "satu.test" / "site.db").exists()
    assert bench.config("satu.test") == {"db_url": "sqlite:///site.db"}  # no demo password
    for folder in ("public/files", "private/files", "backups"):
        assert (bench.root / "satu.test" / folder).is_dir()
    assert (bench.root / "currentsite.txt").read_text().strip() == "satu.test"  # the first site

    again = bench.run("new-site", "satu.test", check=False)
    assert again.returncode != 0
    lines = error_lines(again.stderr)
    assert lines[0].startswith("Error:") and "sudah ada" in lines[0] and len(lines) == 2
    assert "Traceback" not in again.stderr + again.stdout

    assert "berubah: tidak ada" in bench.run("migrate").stdout  # idempotent
    assert "berubah: tidak ada" in bench.run("--site", "satu.test", "migrate").stdout

    generated = bench.run("new-site", "dua.test").stdout  # password generated and printed
    password = generated.split("Kata sandi:")[1].split()[0]
    assert len(password) >= 20
    assert (bench.root / "currentsite.txt").read_text().strip() == "satu.test"
    bench.run("use", "dua.test")
    assert (bench.root / "currentsite.txt").read_text().strip() == "dua.test"
    with _site(bench, "dua.test").begin() as ctx:
        assert check_password(ctx, "Administrator", password)


@needs_mariadb
def test_new_site_on_mariadb_gets_its_own_database_user(bench):
    bench.new_site("maria.test", "--db-url", MARIADB_ROOT)
    url = sa.engine.make_url(bench.config("maria.test")["db_url"])
    assert url.username not in ("root", None) and len(url.password or "") >= 24
    assert "root" not in json.dumps(bench.config("maria.test"))
    engine = sa.create_engine(normalise_url(str(url.render_as_string(hide_password=False))))
    with engine.connect() as conn:  # the site's own user reaches its tables...
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM `tabUser`").scalar() >= 2
        grants = " ".join(r[0] for r in conn.exec_driver_sql("SHOW GRANTS"))
        assert f"`{url.database}`.*" in grants and "ON *.*" not in grants.replace(
            "USAGE ON *.*", ""
        )
    engine.dispose()
    with _site(bench, "maria.test").begin() as ctx:  # ...and the site works
        assert check_password(ctx, "Administrator", ADMIN_PASSWORD)

    bench.cleanup()  # the database and the user are gone afterwards
    root = mariadb_admin()
    engine = root.engine()
    with engine.connect() as conn:
        users = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM mysql.user WHERE User = ?", (url.username,)
        ).scalar()
        schemas = conn.exec_driver_sql(
            "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
            (url.database,),
        ).scalar()
    engine.dispose()
    assert users == 0 and schemas == 0


def test_users_passwords_and_keys(bench):
    bench.new_site("pengguna.test")
    out = bench.invoke(
        "add-user",
        "Ani@Dinsos.id",
        "--first-name",
        "Ani",
        "--password",
        "Kupang-Lontar-2026!",
        "--roles",
        "System Manager,Desk User",
    ).output
    assert "ani@dinsos.id" in out
    for args, text in (
        (("add-user", "x@dinsos.id", "--roles", "Peran Khayalan"), "Peran Khayalan"),
        (("add-user", "bukan-email"), "bukan alamat email"),
        (("add-user", "ani@dinsos.id"), "sudah ada"),
        (("generate-keys", "siapa@dinsos.id"), "tidak ada"),
    ):
        bad = bench.invoke(*args, check=False)
        assert bad.exit_code != 0 and text in bad.stderr, bad.output
        assert error_lines(bad.stderr)[0].startswith("Error:") and "Traceback" not in bad.output
    bench.invoke("set-admin-password", "Kata-Sandi-Baru-2026")
    keys = dict(
        line.split(": ", 1)
        for line in bench.invoke("generate-keys", "ani@dinsos.id").stdout.split("\n")
        if line
    )
    with _site(bench, "pengguna.test").begin() as ctx:
        assert check_password(ctx, "ani@dinsos.id", "Kupang-Lontar-2026!")
        assert not check_password(ctx, "ani@dinsos.id", "salah")
        assert check_password(ctx, "Administrator", "Kata-Sandi-Baru-2026")
        assert not check_password(ctx, "Administrator", ADMIN_PASSWORD)
        assert user_for_keys(ctx, keys["api_key"], keys["api_secret"]) == "ani@dinsos.id"
        assert not ctx.exists("User", "x@dinsos.id")
        roles = {r["role"] for r in ctx.get_doc("User", "ani@dinsos.id").as_dict()["roles"]}
        assert roles == {"System Manager", "Desk User"}


def execute_probe(ctx, nama: str, gagal: bool = False) -> dict:
    """Called by `layanan execute` below: writes, then returns or raises."""
    ctx.new_doc("Role", role_name=nama).insert()
    if gagal:
        raise RuntimeError("sengaja gagal")
    return {"peran": nama, "user": ctx.user}


def no_context(a: int, b: int) -> int:
    return a + b


def test_execute(bench):
    bench.new_site("eksekusi.test")
    path = f"{__name__}.execute_probe"
    out = bench.invoke("execute", path, "--kwargs", '{"nama": "Peran Eksekusi"}').stdout
    assert json.loads(out) == {"peran": "Peran Eksekusi", "user": "Administrator"}
    failed = bench.invoke(
        "execute", path, "--kwargs", '{"nama": "Peran Batal", "gagal": true}', check=False
    )
    assert failed.exit_code != 0
    assert (
        json.loads(
            bench.invoke("execute", f"{__name__}.no_context", "--kwargs", '{"a": 2, "b": 3}').stdout
        )
        == 5
    )
    with _site(bench, "eksekusi.test").begin() as ctx:
        assert ctx.exists("Role", "Peran Eksekusi")  # committed on success
        assert not ctx.exists("Role", "Peran Batal")  # rolled back on error
    for args, text in (
        (("--kwargs", "{nope"), "JSON"),
        (("--kwargs", "[1]"), "objek JSON"),
        (("--kwargs", '{"tidak_dikenal": 1}'), "tidak cocok"),
    ):
        bad = bench.invoke("execute", path, *args, check=False)
        assert bad.exit_code != 0 and text in bad.stderr, bad.output
        assert "Traceback" not in bad.output
    for method in ("tidak_bertitik", "layanan_sosial.tidak_ada.fungsi", f"{__name__}.tidak_ada"):
        bad = bench.invoke("execute", method, check=False)
        assert bad.exit_code != 0 and error_lines(bad.stderr)[0].startswith("Error:")


def test_demo_hook_is_optional(bench, monkeypatch):
    monkeypatch.setattr(sites_admin, "DEMO_HOOK", ("demo_hook_probe", "make_demo"))
    out = bench.invoke("new-site", "demo.test", "--demo").stdout
    password = out.split("Kata sandi:")[1].split()[0]
    assert "Data demo dimuat" in out
    assert bench.config("demo.test")["demo_admin_password"] == password
    with _site(bench, "demo.test").begin() as ctx:
        assert ctx.exists("Role", "Peran Demo")
    monkeypatch.setattr(sites_admin, "DEMO_HOOK", ("layanan_sosial.tidak_ada_demo", "make_demo"))
    out = bench.invoke("new-site", "kosong.test", "--demo", "--admin-password", "Demo-1").stdout
    assert "belum menyediakan data demo" in out
    assert bench.config("kosong.test")["demo_admin_password"] == "Demo-1"


def test_expected_failures_are_one_line_without_traceback(bench):
    """Real processes: exit code ≠ 0, `Error:` + `Hint:`, never a traceback."""
    bench.new_site("ada.test")
    (bench.root / "putus.test").mkdir()
    (bench.root / "putus.test" / "site_config.json").write_text(
        json.dumps({"db_url": "mariadb://x:y@127.0.0.1:1/tidak_ada"})
    )
    cases = [
        (("--site", "tidak-ada.test", "migrate"), "does not exist"),
        (("new-site", "lain.test", "--db-url", "mariadb://root@127.0.0.1:1"), "127.0.0.1:1"),
        (("new-site", "Nama Salah!"), "tidak valid"),
        (("new-site", "ada.test"), "sudah ada"),
        (("new-site",), "Missing argument"),
        (("serve", "--port", "nol"), "--port"),
        (("--site", "putus.test", "migrate"), "database"),
        (("--site", "putus.test", "backup"), "database"),
        (("use", "tidak-ada.test"), "tidak ada"),
        (("--site", "ada.test", "restore", "/tidak/ada.sql.gz"), "tidak ada"),
    ]
    for args, text in cases:
        result = bench.run(*args, check=False)
        lines = error_lines(result.stderr)
        assert result.returncode != 0, args
        assert lines and lines[0].startswith("Error:") and text in lines[0], (args, result.stderr)
        assert len(lines) == 2 and lines[1].startswith("Hint:"), (args, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout, args
    assert not (bench.root / "lain.test").exists()  # a failed new-site leaves nothing behind


def test_console_runs_python_in_the_site(bench):
    bench.new_site("konsol.test")
    script = (
        "ctx.new_doc('Role', role_name='Peran Konsol').insert()\n"
        "ctx.commit()\n"
        "print('situs=' + ctx.site.name, ctx.exists('Role', 'Peran Konsol'))\n"
    )
    result = subprocess.run(
        [*LAYANAN, "--site", "konsol.test", "console"],
        input=script,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "situs=konsol.test True" in result.stdout
    with _site(bench, "konsol.test").begin() as ctx:
        assert ctx.exists("Role", "Peran Konsol")
