"""Creating sites and choosing the default one (what `layanan new-site|use` do).

A MariaDB site gets its own database and its own database user with a generated password,
created with the root credentials given once; site_config.json keeps only the site user's
URL, never root's.
"""

from __future__ import annotations

import hashlib
import importlib
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from .db.engine import check_connection, is_mariadb, normalise_url
from .exceptions import SiteError
from .migrate import migrate
from .site import CURRENT_SITE_FILE, Site, list_sites, sites, sites_dir, write_json
from .users import ADMINISTRATOR, set_password

SITE_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789.-_")
DB_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
# the site's database user may connect locally and over the network (app servers on other
# machines); its rights cover its own database only
DB_USER_HOSTS = ("localhost", "%")
SITE_FOLDERS = ("public/files", "private/files", "backups", "logs")


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


@dataclass(frozen=True)
class DatabaseAdmin:
    """The MariaDB account that creates (and on failure drops) a site's database and user."""

    url: sa.URL  # server address; no database

    @classmethod
    def from_options(
        cls, db_url: str | None, root_user: str | None, root_password: str | None
    ) -> DatabaseAdmin:
        url = normalise_url(db_url or "mariadb://127.0.0.1:3306")
        user = root_user or url.username or "root"
        password = root_password if root_password is not None else (url.password or "")
        # URL.set() ignores None values, so the database is cleared with _replace
        return cls(url.set(username=user, password=password)._replace(database=None))

    def engine(self) -> sa.Engine:
        try:
            return sa.create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
        except ModuleNotFoundError as exc:
            raise SiteError(
                "driver MariaDB (paket Python `mariadb`) belum terpasang",
                hint="pip install -e 'apps/layanan_sosial[mariadb]' (butuh paket Debian "
                "libmariadb-dev)",
            ) from exc

    def connect(self, engine: sa.Engine) -> sa.Connection:
        try:
            return engine.connect()
        except sa.exc.DBAPIError as exc:
            where = f"{self.url.host or '127.0.0.1'}:{self.url.port or 3306}"
            raise SiteError(
                f"MariaDB di {where} tidak bisa dihubungi sebagai {self.url.username}: {exc.orig}",
                hint="apakah MariaDB berjalan? periksa --db-url, --db-root-user dan "
                "--db-root-password",
            ) from exc


def create_mariadb_database(admin: DatabaseAdmin, site_name: str, database: str | None) -> str:
    """Create the database and its own user (all rights on that database only); return the
    site user's URL. The admin credentials are used for this and never stored."""
    database = database or _db_name(site_name)
    if not set(database) <= DB_NAME_CHARS or len(database) > 64:
        raise SiteError(
            f"nama database {database!r} tidak valid", hint="huruf, angka dan _ saja (maks. 64)"
        )
    db_user = database
    password = secrets.token_urlsafe(24)
    engine = admin.engine()
    try:
        with admin.connect(engine) as conn:
            exists = conn.exec_driver_sql(
                "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
                (database,),
            ).first()
            if exists:
                raise SiteError(
                    f"database {database} sudah ada di MariaDB",
                    hint="pilih nama lain di --db-url atau hapus database itu",
                )
            conn.exec_driver_sql(
                f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
            # names and the generated password use [A-Za-z0-9_-] only: safe to inline in DDL
            for host in DB_USER_HOSTS:
                conn.exec_driver_sql(
                    f"CREATE OR REPLACE USER '{db_user}'@'{host}' IDENTIFIED BY '{password}'"
                )
                conn.exec_driver_sql(
                    f"GRANT ALL PRIVILEGES ON `{database}`.* TO '{db_user}'@'{host}'"
                )
    finally:
        engine.dispose()
    site_url = admin.url.set(
        drivername="mariadb", username=db_user, password=password, database=database
    )
    return site_url.render_as_string(hide_password=False)


def drop_mariadb_database(admin: DatabaseAdmin, site_db_url: str) -> None:
    """Drop a site's database and its user (cleanup after a failed new-site, tests)."""
    url = normalise_url(site_db_url)
    engine = admin.engine()
    try:
        with admin.connect(engine) as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{url.database}`")
            for host in DB_USER_HOSTS:
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
    """Create and migrate a site; returns it and the Administrator password (generated
    when not given). Nothing is left behind when any step fails."""
    name = validate_site_name(name)
    root = root or sites_dir()
    path = root / name
    if (path / "site_config.json").exists():
        raise SiteError(
            f"situs {name} sudah ada",
            hint=f"pakai `layanan --site {name} migrate` untuk memperbaruinya",
        )
    wants_mariadb = bool(db_url and is_mariadb(db_url)) or bool(db_root_user)
    if db_url and not wants_mariadb and make_url(db_url).get_backend_name() != "sqlite":
        raise SiteError(
            f"URL database {db_url!r} tidak didukung",
            hint="pakai mariadb://root:sandi@host:3306 atau kosongkan untuk SQLite",
        )
    config: dict[str, Any] = {**(extra_config or {})}
    admin = None
    if wants_mariadb:
        admin = DatabaseAdmin.from_options(db_url, db_root_user, db_root_password)
        given = normalise_url(db_url).database if db_url else None
        config["db_url"] = create_mariadb_database(admin, name, given)
    else:
        config["db_url"] = db_url or "sqlite:///site.db"
    made_folder = not path.exists()
    try:
        for folder in SITE_FOLDERS:
            (path / folder).mkdir(parents=True, exist_ok=True)
        write_json(path / "site_config.json", config)
        site = sites.get(name, root)
        check_connection(site.engine)
        migrate(site)
        password = admin_password or generate_password()
        with site.begin() as ctx:
            set_password(ctx, ADMINISTRATOR, password)
    except BaseException:
        sites.forget(name, root)
        if made_folder:
            shutil.rmtree(path, ignore_errors=True)
        else:
            (path / "site_config.json").unlink(missing_ok=True)
        if admin is not None:
            try:
                drop_mariadb_database(admin, config["db_url"])
            except SiteError:
                pass  # the original error matters more
        raise
    if not (root / CURRENT_SITE_FILE).exists() or len(list_sites(root)) == 1:
        use_site(name, root)
    return site, password


def generate_password() -> str:
    """A strong random password (about 120 bits) that is still easy to copy."""
    return "-".join(secrets.token_urlsafe(6) for _ in range(4))


def use_site(name: str, root: Path | None = None) -> None:
    root = root or sites_dir()
    if name not in list_sites(root):
        raise SiteError(f"situs {name} tidak ada di {root}", hint="buat dengan `layanan new-site`")
    (root / CURRENT_SITE_FILE).write_text(name + "\n", encoding="utf-8")


DEMO_HOOK = ("layanan_sosial.demo", "make_demo")


def run_demo_hook(site: Site) -> bool:
    """Fill demo data through `layanan_sosial.demo:make_demo(ctx)` when the app has it.

    Looked up by name at run time: core never imports a domain module (a test enforces it).
    Returns False when there is no such hook (the site is then simply left empty)."""
    module_name, attr = DEMO_HOOK
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            return False
        raise
    hook = getattr(module, attr, None)
    if hook is None:
        return False
    with site.begin() as ctx:
        hook(ctx)
    return True
