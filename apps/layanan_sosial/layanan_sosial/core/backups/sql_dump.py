"""A pure-Python MariaDB dump through SQLAlchemy, for hosts without `mariadb-dump`.

Same shape as mariadb-dump's output (DROP/CREATE per table from SHOW CREATE TABLE, then
extended INSERTs, one per line), taken in one consistent-snapshot transaction, so either
the `mariadb` client or `sql_script` can load it.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from typing import Any, TextIO

import sqlalchemy as sa

# like mariadb-dump's net_buffer_length: statements stay far below max_allowed_packet
STATEMENT_BYTES = 1_000_000
HEADER = (
    "SET NAMES utf8mb4",
    "SET TIME_ZONE='+00:00'",
    "SET FOREIGN_KEY_CHECKS=0",
    "SET UNIQUE_CHECKS=0",
    "SET SQL_MODE='NO_AUTO_VALUE_ON_ZERO'",  # also turns NO_BACKSLASH_ESCAPES off
)
FOOTER = ("SET FOREIGN_KEY_CHECKS=1", "SET UNIQUE_CHECKS=1")
_ESCAPES = str.maketrans(
    {"\\": "\\\\", "'": "\\'", "\0": "\\0", "\n": "\\n", "\r": "\\r", "\x1a": "\\Z"}
)


def quote_name(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def sql_literal(value: Any) -> str:
    """A value as MariaDB literal text (backslash escapes, as in the dump's SQL_MODE)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | decimal.Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        return "X'" + data.hex() + "'" if data else "''"
    if isinstance(value, dt.datetime):
        return "'" + value.isoformat(sep=" ") + "'"
    if isinstance(value, dt.date | dt.time):
        return "'" + value.isoformat() + "'"
    if isinstance(value, dt.timedelta):  # TIME columns come back as timedelta
        sign = "-" if value < dt.timedelta(0) else ""
        total = abs(value)
        hours, rest = divmod(total.days * 86400 + total.seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"'{sign}{hours:02d}:{minutes:02d}:{seconds:02d}.{total.microseconds:06d}'"
    return "'" + str(value).translate(_ESCAPES) + "'"


def dump_database(engine: sa.Engine, out: TextIO) -> None:
    """Write every base table (structure and rows) of the engine's database to `out`."""
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        conn.exec_driver_sql("SET SESSION time_zone = '+00:00'")
        conn.commit()
        conn.exec_driver_sql("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        try:
            for statement in HEADER:
                out.write(statement + ";\n")
            tables = [
                row[0]
                for row in conn.exec_driver_sql("SHOW FULL TABLES WHERE Table_type = 'BASE TABLE'")
            ]
            for table in sorted(tables):
                _dump_table(conn, table, out)
            for statement in FOOTER:
                out.write(statement + ";\n")
        finally:
            conn.rollback()


def _dump_table(conn: sa.Connection, table: str, out: TextIO) -> None:
    create = conn.exec_driver_sql(f"SHOW CREATE TABLE {quote_name(table)}").one()[1]
    out.write(f"\n-- {table}\nDROP TABLE IF EXISTS {quote_name(table)};\n{create};\n")
    # table and column names come from the server and are quoted
    result = conn.exec_driver_sql(f"SELECT * FROM {quote_name(table)}")  # noqa: S608
    columns = ", ".join(quote_name(c) for c in result.keys())
    prefix = f"INSERT INTO {quote_name(table)} ({columns}) VALUES "  # noqa: S608
    pending: list[str] = []
    size = 0
    for row in _rows(result):
        values = "(" + ",".join(sql_literal(v) for v in row) + ")"
        if pending and size + len(values) > STATEMENT_BYTES:
            out.write(prefix + ",".join(pending) + ";\n")
            pending, size = [], 0
        pending.append(values)
        size += len(values) + 1
    if pending:
        out.write(prefix + ",".join(pending) + ";\n")


def _rows(result: sa.CursorResult[Any]) -> Iterator[Any]:
    while batch := result.fetchmany(1000):
        yield from batch
