"""Create SQLAlchemy engines for a site's database URL (SQLite or MariaDB)."""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url

from ..exceptions import SiteError


def normalise_url(url: str) -> URL:
    """Accept `mariadb://`, `mysql://` and `sqlite:///` forms; pick the drivers we ship."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend in ("mariadb", "mysql"):
        parsed = parsed.set(drivername="mariadb+mariadbconnector")
    elif backend != "sqlite":
        raise SiteError(
            f"database URL {parsed.render_as_string(hide_password=True)} is not supported",
            hint="use sqlite:///path/site.db or mariadb://user:password@host:3306/dbname",
        )
    return parsed


def is_mariadb(url: URL | str) -> bool:
    return make_url(str(url) if isinstance(url, URL) else url).get_backend_name() in (
        "mariadb",
        "mysql",
    )


def create_site_engine(url: str, *, pool_size: int = 10) -> sa.Engine:
    """An engine tuned per backend: WAL + explicit BEGIN on SQLite, READ COMMITTED on MariaDB
    (the mariadbconnector dialect already talks utf8mb4)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return _mariadb_engine(parsed, pool_size)


def _sqlite_engine(url: URL) -> sa.Engine:
    engine = sa.create_engine(
        url,
        pool_reset_on_return=None,  # contexts always end their transaction themselves
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=5,
        max_overflow=10,
        poolclass=sa.pool.QueuePool,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # We issue BEGIN ourselves (pysqlite's implicit transactions do not cover reads).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # Writers take the write lock up front, so two writers never deadlock upgrading.
        mode = "IMMEDIATE" if conn.info.get("write", True) else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _mariadb_engine(url: URL, pool_size: int) -> sa.Engine:
    engine = sa.create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size * 2,
        pool_recycle=3600,  # stale connections are replaced by Context.open (no pre-ping)
        # Contexts always end their transaction (commit or rollback) before returning the
        # connection, so the pool's extra ROLLBACK round trip on return is not needed.
        pool_reset_on_return=None,
        isolation_level="READ COMMITTED",
    )
    return engine


def check_connection(engine: sa.Engine) -> None:
    """Raise SiteError with a hint when the database cannot be reached."""
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except sa.exc.DBAPIError as exc:
        raise SiteError(
            f"database unreachable: {exc.orig}",
            hint="is MariaDB running and are the credentials in site_config.json right?",
        ) from exc
