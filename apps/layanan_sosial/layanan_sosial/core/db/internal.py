"""Bookkeeping tables that are not DocTypes: naming counters, singles, secrets, meta version."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

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


def create_internal_tables(conn: sa.Connection) -> None:
    internal_metadata.create_all(conn, checkfirst=True)
    exists = conn.execute(sa.select(meta_version_table.c.version)).first()
    if exists is None:
        conn.execute(meta_version_table.insert().values(id=1, version=1))


def read_meta_version(conn: sa.Connection) -> int:
    row = conn.execute(
        sa.select(meta_version_table.c.version).where(meta_version_table.c.id == 1)
    ).first()
    return int(row[0]) if row else 0


def bump_meta_version(conn: sa.Connection) -> int:
    conn.execute(
        meta_version_table.update()
        .where(meta_version_table.c.id == 1)
        .values(version=meta_version_table.c.version + 1)
    )
    return read_meta_version(conn)
