"""Hot-path INSERTs straight on the DB-API cursor of the context's connection.

SQLAlchemy's statement pipeline costs about as much Python time per statement as the
round trip itself; a document insert is the most frequent write, so its SQL is rendered
once per table and executed with qmark parameters (both drivers we ship use qmark).
Values are adapted the way SQLAlchemy's SQLite types store them, so reads through
SQLAlchemy see exactly the same text as for rows it wrote itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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


def insert_rows(
    conn: sa.Connection, table_name: str, columns: tuple[str, ...], rows: Sequence[Sequence[Any]]
) -> None:
    """INSERT `rows` (tuples in `columns` order) in the connection's current transaction."""
    if not rows:
        return
    sql = insert_sql(table_name, columns)
    if conn.dialect.name == "sqlite":
        rows = [tuple(_sqlite_value(v) for v in row) for row in rows]
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        if len(rows) == 1:
            cursor.execute(sql, tuple(rows[0]))
        else:
            cursor.executemany(sql, [tuple(r) for r in rows])
    except dbapi.Error as exc:
        # the same exception classes SQLAlchemy raises (IntegrityError for unique keys, ...)
        raise sa.exc.DBAPIError.instance(sql, None, exc, dbapi.Error) from exc
    finally:
        cursor.close()
