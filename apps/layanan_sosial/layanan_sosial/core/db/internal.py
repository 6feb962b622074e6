"""Bookkeeping tables that are not DocTypes: naming counters, singles, secrets, meta version."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from .fastpath import select_rows

_LONGTEXT = sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")

internal_metadata = sa.MetaData()

series_table = sa.Table(
    "tabSeries",
    internal_metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("current", sa.Integer, nullable=False, server_default="0"),
)

singles_table = sa.Table(
    "tabSingles",
    internal_metadata,
    sa.Column("doctype", sa.String(140), nullable=False),
    sa.Column("field", sa.String(140), nullable=False),
    sa.Column("value", _LONGTEXT),
    sa.PrimaryKeyConstraint("doctype", "field"),
)

# Encrypted secrets (Password fields, API secrets), kept out of the DocType tables.
auth_table = sa.Table(
    "__Auth",
    internal_metadata,
    sa.Column("doctype", sa.String(140), nullable=False),
    sa.Column("name", sa.String(255), nullable=False),
    sa.Column("fieldname", sa.String(140), nullable=False),
    sa.Column("password", sa.Text, nullable=False),
    sa.Column("encrypted", sa.Integer, nullable=False, server_default="0"),
    sa.PrimaryKeyConstraint("doctype", "name", "fieldname"),
)

# One row: bumped in the same transaction as any customisation, so every process
# sees the new meta on its next request by comparing one integer.
meta_version_table = sa.Table(
    "__meta_version",
    internal_metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("version", sa.Integer, nullable=False),
)


META_ROW, PERMISSION_ROW = 1, 2


def create_internal_tables(conn: sa.Connection) -> None:
    internal_metadata.create_all(conn, checkfirst=True)
    present = {r[0] for r in conn.execute(sa.select(meta_version_table.c.id))}
    for row_id in (META_ROW, PERMISSION_ROW):
        if row_id not in present:
            conn.execute(meta_version_table.insert().values(id=row_id, version=1))


_READ_VERSIONS = "SELECT id, version FROM __meta_version WHERE id IN (?, ?)"


def read_versions(conn: sa.Connection) -> tuple[int, int]:
    """(meta version, permission version) in one round trip. The first changes with any
    customisation, the second with any change of who may do what (roles, user permissions,
    shares); processes cache by them. Every transaction starts with this read, so it runs
    on the DB-API cursor (fastpath), which also reports a dropped connection."""
    found = dict(select_rows(conn, _READ_VERSIONS, (META_ROW, PERMISSION_ROW)))
    return int(found.get(META_ROW, 0)), int(found.get(PERMISSION_ROW, 0))


def read_meta_version(conn: sa.Connection) -> int:
    return read_versions(conn)[0]


def _bump(conn: sa.Connection, row_id: int) -> int:
    conn.execute(
        meta_version_table.update()
        .where(meta_version_table.c.id == row_id)
        .values(version=meta_version_table.c.version + 1)
    )
    value = conn.execute(
        sa.select(meta_version_table.c.version).where(meta_version_table.c.id == row_id)
    ).scalar()
    return int(value or 0)


def bump_meta_version(conn: sa.Connection) -> int:
    return _bump(conn, META_ROW)


def bump_permission_version(conn: sa.Connection) -> int:
    return _bump(conn, PERMISSION_ROW)
