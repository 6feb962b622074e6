"""SQLite backup and restore with the sqlite3 module only.

Backup: the sqlite3 online-backup API copies a consistent snapshot while the site keeps
serving, then the snapshot is written out as SQL. We write the SQL ourselves rather than
with `iterdump`, whose quote() cuts text at a NUL character. Restore: the dump is loaded
into a fresh temporary database, which the backup API then copies over the live one page
by page under SQLite's own locking — a failed load leaves the site untouched, and no file
is swapped under open connections.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import make_url

from ..exceptions import SiteError
from ..site import Site


def database_path(site: Site) -> Path:
    return Path(make_url(site.db_url).database or "")


def dump(site: Site, out: TextIO, scratch: Path) -> None:
    """Write the site's database as SQL to `out`; `scratch` holds the snapshot meanwhile."""
    scratch.unlink(missing_ok=True)
    source = sqlite3.connect(database_path(site))
    snapshot = sqlite3.connect(scratch)
    try:
        source.backup(snapshot)
        snapshot.text_factory = str
        _write_sql(snapshot, out)
    finally:
        snapshot.close()
        source.close()
        scratch.unlink(missing_ok=True)


def _write_sql(conn: sqlite3.Connection, out: TextIO) -> None:
    out.write("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n")
    objects = conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type != 'table', name"
    ).fetchall()
    for kind, name, sql in objects:
        if kind != "table":
            continue
        if name == "sqlite_sequence":
            out.write("DELETE FROM sqlite_sequence;\n")
        elif name.startswith("sqlite_"):
            continue
        else:
            out.write(f"{sql};\n")
        quoted = quote_name(name)
        for row in conn.execute(f"SELECT * FROM {quoted}"):  # noqa: S608 - quoted name
            values = ",".join(sqlite_literal(v) for v in row)
            out.write(f"INSERT INTO {quoted} VALUES({values});\n")
    for kind, name, sql in objects:
        if kind != "table" and not name.startswith("sqlite_"):
            out.write(f"{sql};\n")
    out.write("COMMIT;\n")


def quote_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ("9e999" if value > 0 else "-9e999")
    if isinstance(value, bytes):
        return "X'" + value.hex() + "'"
    text = str(value)
    if "\x00" in text:  # a quoted literal would end at the NUL
        return "CAST(X'" + text.encode("utf-8").hex() + "' AS TEXT)"
    return "'" + text.replace("'", "''") + "'"


def restore(site: Site, lines: Iterable[str], scratch: Path) -> None:
    """Replace the site's database with the dump's content."""
    scratch.unlink(missing_ok=True)
    loaded = sqlite3.connect(scratch, isolation_level=None)
    try:
        for statement in _statements(lines):
            try:
                loaded.execute(statement)
            except sqlite3.Error as exc:
                raise SiteError(
                    f"cadangan tidak bisa dimuat: {exc}",
                    hint="apakah berkas ini cadangan situs SQLite dari `layanan backup`?",
                ) from exc
        if loaded.in_transaction:
            loaded.commit()
        live = sqlite3.connect(database_path(site), timeout=30)
        try:
            loaded.backup(live)
        finally:
            live.close()
    finally:
        loaded.close()
        scratch.unlink(missing_ok=True)


def _statements(lines: Iterable[str]) -> Iterator[str]:
    pending = ""
    for line in lines:
        pending += line
        if sqlite3.complete_statement(pending):
            yield pending
            pending = ""
    if any(line.strip() and not line.lstrip().startswith("--") for line in pending.splitlines()):
        raise SiteError("cadangan terpotong: pernyataan SQL terakhir tidak lengkap")
