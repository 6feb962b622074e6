"""Creating sites in-process: names, default site, MariaDB provisioning and clean failure."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa
from site_bench import MARIADB_ROOT, mariadb_admin, needs_mariadb, open_bench

from layanan_sosial.core import sites_admin
from layanan_sosial.core.exceptions import SiteError
from layanan_sosial.core.site import default_site_name, get_site
from layanan_sosial.core.sites_admin import create_site, use_site, validate_site_name

# unique per run, so an interrupted run never blocks the next one
CHOSEN = f"lst_pilihan_{secrets.token_hex(3)}"
FAILED = f"lst_gagal_{secrets.token_hex(3)}"


@pytest.fixture
def bench(tmp_path, monkeypatch):
    yield from open_bench(tmp_path, monkeypatch)


def _count(sql: str, value: str) -> int:
    engine = mariadb_admin().engine()
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql(sql, (value,)).scalar()
    finally:
        engine.dispose()


def _mariadb_leftovers(database: str) -> tuple[int, int]:
    return (
        _count("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", database),
        _count("SELECT COUNT(*) FROM mysql.user WHERE User = ?", database),
    )


@pytest.mark.parametrize("name", ["dinsos.nttprov.go.id", "demo.localhost", "a-b_c.test"])
def test_valid_site_names(name):
    assert validate_site_name(name.upper()) == name


@pytest.mark.parametrize("name", ["", "nama salah", ".rahasia", "-x", "a/b", "../x", "a" * 101])
def test_invalid_site_names(name):
    with pytest.raises(SiteError, match="tidak valid"):
        validate_site_name(name)


def test_first_site_becomes_the_default(bench):
    create_site("satu.test", admin_password="x")
    create_site("dua.test", admin_password="x")
    assert default_site_name(bench.root) == "satu.test"
    assert get_site().name == "satu.test"
    use_site("dua.test")
    assert get_site().name == "dua.test"
    with pytest.raises(SiteError, match="tidak ada"):
        use_site("tiga.test")


def test_a_failed_sqlite_site_leaves_nothing_behind(bench, monkeypatch):
    def broken(site):
        raise RuntimeError("migrasi gagal")

    monkeypatch.setattr(sites_admin, "migrate", broken)
    with pytest.raises(RuntimeError):
        create_site("gagal.test")
    assert not (bench.root / "gagal.test").exists()
    # a folder that was there before (e.g. restored files) is kept, only the config goes
    (bench.root / "ada.test" / "public").mkdir(parents=True)
    with pytest.raises(RuntimeError):
        create_site("ada.test")
    assert (bench.root / "ada.test" / "public").is_dir()
    assert not (bench.root / "ada.test" / "site_config.json").exists()


@needs_mariadb
def test_mariadb_site_with_a_chosen_database_name(bench):
    site, _ = create_site("pilih.test", db_url=MARIADB_ROOT + "/" + CHOSEN, admin_password="x")
    url = sa.engine.make_url(site.db_url)
    assert url.database == CHOSEN and url.username == CHOSEN
    assert _mariadb_leftovers(CHOSEN) == (1, 2)  # user@localhost and user@%
    with pytest.raises(SiteError, match="sudah ada"):  # never reuses a database
        create_site("lain.test", db_url=MARIADB_ROOT + "/" + CHOSEN)
    assert not (bench.root / "lain.test").exists()
    root = sa.engine.make_url(MARIADB_ROOT)
    with pytest.raises(SiteError, match="tidak valid"):
        create_site("x.test", db_url=f"{MARIADB_ROOT}/nama-salah")
    assert root.username  # the root URL itself is never written anywhere
    assert "root" not in (bench.root / "pilih.test" / "site_config.json").read_text()


@needs_mariadb
def test_a_failed_mariadb_site_drops_its_database_and_user(bench, monkeypatch):
    def broken(site):
        raise RuntimeError("migrasi gagal")

    monkeypatch.setattr(sites_admin, "migrate", broken)
    with pytest.raises(RuntimeError):
        create_site("gagal-maria.test", db_url=MARIADB_ROOT + "/" + FAILED)
    assert _mariadb_leftovers(FAILED) == (0, 0)
    assert not (bench.root / "gagal-maria.test").exists()


@needs_mariadb
def test_root_credentials_as_options(bench):
    root = sa.engine.make_url(MARIADB_ROOT)
    host = f"mariadb://{root.host or '127.0.0.1'}:{root.port or 3306}"
    site, _ = create_site(
        "opsi.test",
        db_url=host,
        db_root_user=root.username or "root",
        db_root_password=root.password or "",
        admin_password="x",
    )
    assert site.is_mariadb and sa.engine.make_url(site.db_url).username != "root"
    with pytest.raises(SiteError, match="tidak bisa dihubungi"):
        create_site("salah.test", db_url=host, db_root_user="tidak_ada", db_root_password="x")
