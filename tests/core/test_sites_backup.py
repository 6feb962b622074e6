"""Backup and restore round trips on SQLite and MariaDB, with and without the MariaDB tools."""

from __future__ import annotations

import datetime as dt
import decimal
import gzip
import io
import json
import stat
from pathlib import Path

import pytest
from site_bench import MARIADB_ROOT, needs_mariadb, open_bench

from layanan_sosial.core import backups
from layanan_sosial.core.backups import mariadb as mariadb_backup
from layanan_sosial.core.backups.sql_dump import sql_literal
from layanan_sosial.core.backups.sql_script import iter_statements
from layanan_sosial.core.exceptions import SiteError
from layanan_sosial.core.site import sites

TRICKY = [
    (1, "it's a \\ back'slash; -- not a comment", None, decimal.Decimal("12.50")),
    (2, "baris\nbaru\r\ttab \x00 nul \x1a ctrl-z 'kutip' \"dua\" `tick`", "Ülkü ñ 日本 😀", None),
    (3, "", "/* bukan komentar */ # juga bukan", decimal.Decimal("-0.01")),
]


@pytest.fixture
def bench(tmp_path, monkeypatch):
    yield from open_bench(tmp_path, monkeypatch)


def _make_site(bench, backend: str):
    name = f"cadangan-{backend}.test"
    bench.new_site(name, *(["--db-url", MARIADB_ROOT] if backend == "mariadb" else []))
    return sites.get(name, bench.root)


def _add_user(site, email: str) -> None:
    with site.begin() as ctx:
        ctx.new_doc("User", email=email, first_name="Uji").insert()


def _users(site) -> set[str]:
    site = sites.get(site.name, site.root)  # restore forgets the Site object
    with site.begin() as ctx:
        return {u["name"] for u in ctx.get_all("User", fields=["name"], limit=0)}


def _make_tricky_table(site) -> None:
    with site.begin() as ctx:
        kind = "LONGTEXT" if site.is_mariadb else "TEXT"
        ctx.conn.exec_driver_sql(
            f"CREATE TABLE `tabUji Nilai` (id INT PRIMARY KEY, teks {kind}, lain {kind} NULL, "
            "angka DECIMAL(10,2) NULL, waktu DATETIME(6) NULL, biner BLOB NULL)"
        )
        when = dt.datetime(2026, 1, 2, 3, 4, 5, 678901)
        for row in TRICKY:
            values = (*row, when, b"\x00\x01'\\\xff")
            if not site.is_mariadb:  # pysqlite binds neither Decimal nor datetime
                values = tuple(
                    str(v) if isinstance(v, decimal.Decimal | dt.datetime) else v for v in values
                )
            ctx.conn.exec_driver_sql("INSERT INTO `tabUji Nilai` VALUES (?, ?, ?, ?, ?, ?)", values)


def _tricky_rows(site) -> list[tuple]:
    site = sites.get(site.name, site.root)
    with site.begin() as ctx:
        rows = ctx.conn.exec_driver_sql(
            "SELECT id, teks, lain, angka FROM `tabUji Nilai` ORDER BY id"
        ).all()
        blobs = {bytes(r[0]) for r in ctx.conn.exec_driver_sql("SELECT biner FROM `tabUji Nilai`")}
    assert blobs == {b"\x00\x01'\\\xff"}
    return [(r[0], r[1], r[2], None if r[3] is None else decimal.Decimal(str(r[3]))) for r in rows]


def test_sqlite_round_trip_with_files(bench):
    site = _make_site(bench, "sqlite")
    _make_tricky_table(site)
    _add_user(site, "sebelum@dinsos.id")
    (site.path / "public/files/foto.txt").write_text("publik")
    (site.path / "private/files/ktp.txt").write_text("privat")
    out = bench.invoke("--site", site.name, "backup", "--with-files").stdout.split()
    dump, config, archive = map(Path, out)
    assert dump.parent == site.path / "backups"
    assert dump.name.endswith(f"-{site.name}-database.sql.gz")
    assert archive.name.endswith(f"-{site.name}-files.tar.gz")
    assert json.loads(config.read_text()) == json.loads(
        (site.path / "site_config.json").read_text()
    )
    assert stat.S_IMODE(dump.parent.stat().st_mode) == 0o700
    with gzip.open(dump, "rt") as text:
        assert text.readline().startswith(
            "-- layanan-backup site=cadangan-sqlite.test backend=sqlite"
        )

    _add_user(site, "sesudah@dinsos.id")
    (site.path / "public/files/foto.txt").write_text("diubah")
    (site.path / "private/files/baru.txt").write_text("baru")
    bench.invoke("--site", site.name, "restore", str(dump), "--with-files")
    users = _users(site)
    assert "sebelum@dinsos.id" in users and "sesudah@dinsos.id" not in users
    assert _tricky_rows(site) == [r for r in TRICKY]
    assert (site.path / "public/files/foto.txt").read_text() == "publik"
    assert (site.path / "private/files/ktp.txt").read_text() == "privat"
    assert not (site.path / "private/files/baru.txt").exists()

    config.write_text(json.dumps({"encryption_key": "kunci-lain"}))
    warned = bench.invoke("--site", site.name, "restore", str(dump))
    assert "encryption_key" in warned.stderr

    second = bench.invoke("--site", site.name, "backup").stdout.split()
    assert second[0] != str(dump)  # two backups in one second never overwrite each other


@needs_mariadb
def test_mariadb_round_trip_with_and_without_the_client_tools(bench, monkeypatch):
    site = _make_site(bench, "mariadb")
    _make_tricky_table(site)
    _add_user(site, "sebelum@dinsos.id")
    with_tool = backups.backup(site)[0]
    with gzip.open(with_tool, "rt") as text:
        assert "tool=mariadb-dump" in text.readline()
    real_find_tool = mariadb_backup.find_tool
    monkeypatch.setattr(mariadb_backup, "find_tool", lambda *names: None)
    pure_python = backups.backup(site)[0]
    with gzip.open(pure_python, "rt") as text:
        assert "tool=python" in text.readline()

    for dump in (with_tool, pure_python):
        for client in (True, False):
            _add_user(site, "sesudah@dinsos.id")
            monkeypatch.setattr(
                mariadb_backup, "find_tool", real_find_tool if client else lambda *names: None
            )
            backups.restore(site, dump)
            users = _users(site)
            assert "sebelum@dinsos.id" in users, (dump.name, client)
            assert "sesudah@dinsos.id" not in users, (dump.name, client)
            assert _tricky_rows(site) == list(TRICKY), (dump.name, client)
            site = sites.get(site.name, site.root)


@needs_mariadb
def test_restore_refuses_a_dump_of_the_other_backend_or_a_broken_file(bench):
    lite = _make_site(bench, "sqlite")
    maria = _make_site(bench, "mariadb")
    lite_dump = backups.backup(lite)[0]
    maria_dump = backups.backup(maria)[0]
    _add_user(maria, "tetap@dinsos.id")
    for site, dump in ((lite, maria_dump), (maria, lite_dump)):
        with pytest.raises(SiteError, match="cadangan"):
            backups.restore(sites.get(site.name, site.root), dump)
    broken = maria_dump.with_name("rusak-database.sql.gz")
    broken.write_bytes(maria_dump.read_bytes()[:-40])
    with pytest.raises(SiteError, match="rusak"):
        backups.restore(sites.get(maria.name, maria.root), broken)
    assert "tetap@dinsos.id" in _users(maria)  # nothing was dropped


def test_restore_files_refuses_paths_outside_the_files_folders(bench, tmp_path):
    import tarfile

    site = _make_site(bench, "sqlite")
    dump = backups.backup(site)[0]
    evil = dump.with_name(dump.name.replace("-database.sql.gz", "-files.tar.gz"))
    payload = tmp_path / "x.txt"
    payload.write_text("x")
    with tarfile.open(evil, "w:gz") as tar:
        tar.add(payload, arcname="public/files/../../site_config.json")
    with pytest.raises(SiteError, match="terlarang"):
        backups.restore(site, dump, with_files=True)


def test_sql_script_splits_dump_statements():
    script = (
        "/*M!999999\\- enable the sandbox mode */\n"
        "-- MariaDB dump; with a semicolon\n"
        "/*!40101 SET NAMES utf8mb4 */;\n"
        "INSERT INTO `a;b` VALUES ('x;y\\'z',\"q;\"),('multi\n"
        "line; still','it''s');\n"
        "# hash comment; not split\n"
        "SELECT 1--1;\n"
        "SELECT 2 /* c ; */;\n"
        "SELECT 3"
    )
    assert list(iter_statements(io.StringIO(script))) == [
        "/*M!999999\\- enable the sandbox mode */\n\n/*!40101 SET NAMES utf8mb4 */",
        "INSERT INTO `a;b` VALUES ('x;y\\'z',\"q;\"),('multi\nline; still','it''s')",
        "SELECT 1--1",
        "SELECT 2 /* c ; */",
        "SELECT 3",
    ]
    with pytest.raises(SiteError, match="DELIMITER"):
        list(iter_statements(["DELIMITER ;;\n", "SELECT 1;;\n"]))


def test_sql_literals():
    assert sql_literal(None) == "NULL"
    assert sql_literal(True) == "1"
    assert sql_literal(decimal.Decimal("1.50")) == "1.50"
    assert sql_literal("a'b\\c\nd\x00") == "'a\\'b\\\\c\\nd\\0'"
    assert sql_literal(b"\x00\xff") == "X'00ff'"
    assert sql_literal(dt.datetime(2026, 1, 2, 3, 4, 5)) == "'2026-01-02 03:04:05'"
    assert sql_literal(dt.date(2026, 1, 2)) == "'2026-01-02'"
    assert sql_literal(dt.timedelta(hours=-1, minutes=-30)) == "'-01:30:00.000000'"
