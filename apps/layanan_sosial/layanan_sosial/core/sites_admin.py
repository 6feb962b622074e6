"""Creating, backing up and restoring sites (what `layanan new-site|backup|restore` do).

A MariaDB site gets its own database and its own database user with a generated password,
created with the root credentials given once; site_config.json keeps only the site user's
URL, never root's.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import importlib
import os
import secrets
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .db.engine import check_connection, create_site_engine, normalise_url
from .exceptions import SiteError
from .migrate import migrate
from .site import CURRENT_SITE_FILE, Site, list_sites, sites, sites_dir, write_json
from .users import ADMINISTRATOR, set_password

SITE_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-_")


def validate_site_name(name: str) -> str:
    name = name.strip().lower()
    if (
        not name
        or not set(name) <= SITE_NAME_CHARS
        or name.startswith((".", "-"))
        or len(name) > 100
    ):
        raise SiteError(
            f"nama situs {name!r} tidak valid",
            hint="pakai huruf kecil, angka, titik dan tanda hubung, mis. dinsos.nttprov.go.id",
        )
    return name


def _db_name(site_name: str) -> str:
    """Unique per site and per creation, so two benches on one server never collide."""
    return "_" + hashlib.sha1(site_name.encode()).hexdigest()[:10] + secrets.token_hex(3)


def _mariadb_database(
    name: str, db_url: str | None, root_user: str | None, root_password: str | None
) -> str:
    """Create the database and its user; return the site user's URL."""
    url = make_url(
        normalise_url(db_url or "mariadb://127.0.0.1:3306").render_as_string(hide_password=False)
    )
    admin_user = root_user or url.username or "root"
    admin_password = root_password if root_password is not None else (url.password or "")
    database = url.database or _db_name(name)
    if not set(database) <= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"):
        raise SiteError(f"nama database {database!r} tidak valid", hint="huruf, angka dan _ saja")
    db_user = database[:32]
    password = secrets.token_urlsafe(18)
    admin = url.set(username=admin_user, password=admin_password, database=None)
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        check_connection(engine)
        with engine.connect() as conn:
            exists = conn.exec_driver_sql(
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                (database,),
            ).first()
            if exists:
                raise SiteError(
                    f"database {database} sudah ada di MariaDB",
                    hint="pilih nama lain atau hapus database itu",
                )
            conn.exec_driver_sql(
                f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
            # names and the generated password use [A-Za-z0-9_-] only: safe to inline in DDL
            for host in ("localhost", "%"):
                conn.exec_driver_sql(
                    f"CREATE USER IF NOT EXISTS '{db_user}'@'{host}' IDENTIFIED BY '{password}'"
                )
                conn.exec_driver_sql(f"ALTER USER '{db_user}'@'{host}' IDENTIFIED BY '{password}'")
                conn.exec_driver_sql(
                    f"GRANT ALL PRIVILEGES ON `{database}`.* TO '{db_user}'@'{host}'"
                )
            conn.exec_driver_sql("FLUSH PRIVILEGES")
    finally:
        engine.dispose()
    site_url = url.set(drivername="mariadb", username=db_user, password=password, database=database)
    return site_url.render_as_string(hide_password=False)


def drop_mariadb_database(db_url: str, root_user: str = "root", root_password: str = "") -> None:
    url = make_url(normalise_url(db_url).render_as_string(hide_password=False))
    admin = url.set(username=root_user, password=root_password, database=None)
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{url.database}`")
            for host in ("localhost", "%"):
                conn.exec_driver_sql(f"DROP USER IF EXISTS '{url.username}'@'{host}'")
    finally:
        engine.dispose()


def create_site(
    name: str,
    *,
    db_url: str | None = None,
    db_root_user: str | None = None,
    db_root_password: str | None = None,
    admin_password: str | None = None,
    root: Path | None = None,
    extra_config: dict[str, Any] | None = None,
) -> tuple[Site, str]:
    """Create and migrate a site; returns it and the Administrator password."""
    name = validate_site_name(name)
    root = root or sites_dir()
    path = root / name
    if (path / "site_config.json").exists():
        raise SiteError(
            f"situs {name} sudah ada",
            hint=f"pakai `layanan --site {name} migrate` untuk memperbaruinya",
        )
    wants_mariadb = bool(db_url and db_url.startswith(("mariadb", "mysql")) or db_root_user)
    config: dict[str, Any] = {**(extra_config or {})}
    if wants_mariadb:
        config["db_url"] = _mariadb_database(name, db_url, db_root_user, db_root_password)
    elif db_url and not db_url.startswith("sqlite"):
        raise SiteError(
            f"URL database {db_url!r} tidak didukung",
            hint="pakai mariadb://user:pass@host:3306/db atau kosongkan untuk SQLite",
        )
    else:
        config["db_url"] = db_url or "sqlite:///site.db"
    path.mkdir(parents=True, exist_ok=True)
    for folder in ("public/files", "private/files", "private/backups", "logs"):
        (path / folder).mkdir(parents=True, exist_ok=True)
    write_json(path / "site_config.json", config)
    try:
        site = sites.get(name, root)
        check_connection(site.engine)
        migrate(site)
        password = admin_password or secrets.token_urlsafe(12)
        with site.begin() as ctx:
            set_password(ctx, ADMINISTRATOR, password)
    except BaseException:
        sites.forget(name, root)
        shutil.rmtree(path, ignore_errors=True)
        if wants_mariadb:
            drop_mariadb_database(config["db_url"], db_root_user or "root", db_root_password or "")
        raise
    if not (root / CURRENT_SITE_FILE).exists() or len(list_sites(root)) == 1:
        use_site(name, root)
    return site, password


def use_site(name: str, root: Path | None = None) -> None:
    root = root or sites_dir()
    if name not in list_sites(root):
        raise SiteError(f"situs {name} tidak ada di {root}", hint="buat dengan `layanan new-site`")
    (root / CURRENT_SITE_FILE).write_text(name + "\n", encoding="utf-8")


def make_demo(site: Site) -> bool:
    """Fill demo data when an installed app offers `<app>.demo.make_demo(ctx)`."""
    for app in site.apps:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name in (f"{app}.demo", app):
                continue
            raise
        with site.begin() as ctx:
            module.make_demo(ctx)
        return True
    return False


# -- backup / restore ----------------------------------------------------------------------


def _timestamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d_%H%M%S")


def backup(site: Site, *, with_files: bool = False) -> list[Path]:
    """A gzipped SQL dump (and files archives) under sites/<site>/private/backups."""
    folder = site.path / "private" / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{_timestamp()}-{site.name.replace('.', '_')}"
    target = folder / f"{stem}-database.sql.gz"
    if site.is_mariadb:
        _dump_mariadb(site, target)
    else:
        _dump_sqlite(site, target)
    written = [target]
    if with_files:
        for kind in ("public", "private"):
            archive = folder / f"{stem}-{kind}-files.tar.gz"
            with tarfile.open(archive, "w:gz") as tar:
                tar.add(site.path / kind / "files", arcname="files")
            written.append(archive)
    return written


def _sqlite_path(site: Site) -> Path:
    return Path(make_url(site.db_url).database or "")


def _dump_sqlite(site: Site, target: Path) -> None:
    source = sqlite3.connect(_sqlite_path(site))
    try:
        with gzip.open(target, "wt", encoding="utf-8") as out:
            for line in source.iterdump():
                out.write(line + "\n")
    finally:
        source.close()


def _mariadb_args(site: Site) -> tuple[list[str], dict[str, str]]:
    url = make_url(site.db_url)
    args = [
        f"--host={url.host or '127.0.0.1'}",
        f"--port={url.port or 3306}",
        f"--user={url.username}",
    ]
    env = {**os.environ, "MYSQL_PWD": url.password or ""}  # keeps the password out of `ps`
    return args, env


def _binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise SiteError(f"{names[0]} tidak ditemukan", hint="pasang paket Debian mariadb-client")


def _dump_mariadb(site: Site, target: Path) -> None:
    """mariadb-dump (consistent snapshot with --single-transaction) piped into gzip."""
    args, env = _mariadb_args(site)
    database = make_url(site.db_url).database or ""
    dump = _binary("mariadb-dump", "mysqldump")
    with gzip.open(target, "wb") as out:
        proc = subprocess.Popen(
            [
                dump,
                *args,
                "--single-transaction",
                "--quick",
                "--routines",
                "--default-character-set=utf8mb4",
                database,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert proc.stdout is not None
        shutil.copyfileobj(proc.stdout, out)
        _, err = proc.communicate()
    if proc.returncode:
        target.unlink(missing_ok=True)
        raise SiteError(f"mariadb-dump gagal: {err.decode(errors='replace').strip()}")


def restore(site: Site, file: Path) -> None:
    """Replace the site's database with a dump made by `backup` (tables dropped first)."""
    if not file.exists():
        raise SiteError(f"berkas {file} tidak ada")
    opener = gzip.open if file.suffix == ".gz" else open
    site.dispose()
    if site.is_mariadb:
        _restore_mariadb(site, file, opener)
    else:
        _restore_sqlite(site, file, opener)
    sites.forget(site.name, site.root)


def _restore_sqlite(site: Site, file: Path, opener: Any) -> None:
    path = _sqlite_path(site)
    temporary = path.with_suffix(".restoring")
    temporary.unlink(missing_ok=True)
    conn = sqlite3.connect(temporary)
    try:
        with opener(file, "rt", encoding="utf-8") as dump:
            conn.executescript(dump.read())
        conn.commit()
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(temporary, path)  # atomic: a failed restore leaves the old database


def _restore_mariadb(site: Site, file: Path, opener: Any) -> None:
    engine = create_site_engine(site.db_url)
    try:
        with engine.connect() as conn:
            tables = [r[0] for r in conn.exec_driver_sql("SHOW TABLES")]
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
            for table in tables:
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS `{table}`")
            conn.commit()
    finally:
        engine.dispose()
    args, env = _mariadb_args(site)
    client = _binary("mariadb", "mysql")
    database = make_url(site.db_url).database or ""
    # feed the decompressed dump through a pipe (a GzipFile's fileno is the compressed file)
    proc = subprocess.Popen(
        [client, *args, database],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None
    with opener(file, "rb") as dump:
        try:
            shutil.copyfileobj(dump, proc.stdin)
        finally:
            proc.stdin.close()
    err = proc.stderr.read() if proc.stderr else b""
    proc.wait()
    if proc.returncode:
        raise SiteError(f"restore gagal: {err.decode(errors='replace').strip()}")
