"""Hot-path statements straight on the DB-API cursor of the context's connection.

SQLAlchemy's statement pipeline costs about as much Python time per statement as the
round trip itself. A document insert is the most frequent write, so its SQL is rendered
once per table; the meta/permission version read opens every transaction. Both run with
qmark parameters (both drivers we ship use qmark). Errors surface as the SQLAlchemy
exceptions callers already handle, a dropped connection included (see `_cursor`).
Values are adapted the way SQLAlchemy's SQLite types store them, so reads through
SQLAlchemy see exactly the same text as for rows it wrote itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import Any

import sqlalchemy as sa


@lru_cache(maxsize=1024)
def insert_sql(table_name: str, columns: tuple[str, ...]) -> str:
    if "`" in table_name or any("`" in c for c in columns):
        raise ValueError("identifier with a backtick")  # meta validation already forbids it
    cols = ", ".join(f"`{c}`" for c in columns)
    marks = ", ".join("?" for _ in columns)
    # Identifiers come from validated meta (DocType and field name patterns); values are bound.
    return f"INSERT INTO `{table_name}` ({cols}) VALUES ({marks})"  # noqa: S608


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S.%f")
    return value


@contextmanager
def _cursor(conn: sa.Connection, sql: str, params: Any) -> Iterator[Any]:
    """A DB-API cursor of `conn`. A driver error is raised as SQLAlchemy raises it
    (IntegrityError for unique keys, ...); when the server dropped the connection, the
    connection is invalidated and the error says so (`connection_invalidated`), which is
    what Context.open retries on."""
    dbapi = conn.dialect.loaded_dbapi
    raw = conn.connection.dbapi_connection
    cursor = raw.cursor()
    try:
        yield cursor
    except dbapi.Error as exc:
        gone = bool(conn.dialect.is_disconnect(exc, raw, cursor))
        if gone:
            conn.invalidate(exc)
        raise sa.exc.DBAPIError.instance(
            sql, params, exc, dbapi.Error, connection_invalidated=gone
        ) from exc
    finally:
        with suppress(dbapi.Error):  # closing a cursor of a dead connection may fail too
            cursor.close()


def select_rows(conn: sa.Connection, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of a SELECT whose SQL the caller wrote (values bound, qmark style)."""
    with _cursor(conn, sql, params) as cursor:
        cursor.execute(sql, tuple(params))
        return [tuple(row) for row in cursor.fetchall()]


def insert_rows(
    conn: sa.Connection, table_name: str, columns: tuple[str, ...], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT `rows` (tuples in `columns` order) in the connection's current transaction."""
    if not rows:
        return
    sql = insert_sql(table_name, columns)
    if conn.dialect.name == "sqlite":
        rows = [tuple(_sqlite_value(v) for v in row) for row in rows]
    with _cursor(conn, sql, None) as cursor:
        if len(rows) == 1:
            cursor.execute(sql, tuple(rows[0]))
        else:
            cursor.executemany(sql, [tuple(r) for r in rows])
