"""SQLAlchemy Table objects built from DocType meta (frappe_compat §1.5 standard columns)."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from ..fieldtypes import UNINDEXABLE_TYPES, column_type
from ..meta.model import Meta

_DATETIME = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def _standard_columns(meta: Meta) -> list[sa.Column]:
    name_type = sa.BigInteger() if meta.autoname == "autoincrement" else sa.String(140)
    cols = [
        sa.Column("name", name_type, primary_key=True, autoincrement=False),
        sa.Column("creation", _DATETIME),
        sa.Column("modified", _DATETIME, index=True),
        sa.Column("modified_by", sa.String(140)),
        sa.Column("owner", sa.String(140)),
        sa.Column("docstatus", sa.Integer, nullable=False, server_default="0"),
        sa.Column("idx", sa.Integer, nullable=False, server_default="0"),
    ]
    if meta.istable:
        cols += [
            sa.Column("parent", sa.String(140), index=True),
            sa.Column("parentfield", sa.String(140)),
            sa.Column("parenttype", sa.String(140)),
        ]
    else:
        cols += [
            sa.Column("_user_tags", sa.Text),
            sa.Column("_comments", sa.Text),
            sa.Column("_assign", sa.Text),
            sa.Column("_liked_by", sa.Text),
        ]
        if meta.flag("track_seen"):
            cols.append(sa.Column("_seen", sa.Text))
    return cols


def index_name(meta: Meta, fieldname: str, unique: bool = False) -> str:
    """Stable, length-safe index names (MariaDB allows 64 characters)."""
    base = f"{'uq' if unique else 'ix'}_{meta.name}_{fieldname}".replace(" ", "_").lower()
    if len(base) <= 64:
        return base
    digest = hashlib.sha1(base.encode()).hexdigest()[:8]
    return base[:55] + "_" + digest


def build_table(meta: Meta, metadata: sa.MetaData | None = None) -> sa.Table:
    """The Table for a (non-single, non-virtual) DocType, with search and unique indexes."""
    metadata = metadata or sa.MetaData()
    columns = _standard_columns(meta)
    index_specs: list[tuple[str, tuple[str, ...], bool]] = []
    for df in meta.data_fields:
        col_type = column_type(df.fieldtype, df.get("length") or None)
        columns.append(sa.Column(df.fieldname, col_type, nullable=True))
        indexable = df.fieldtype not in UNINDEXABLE_TYPES
        if df.flag("unique") and indexable:
            index_specs.append((index_name(meta, df.fieldname, True), (df.fieldname,), True))
        elif df.flag("search_index") and indexable:
            index_specs.append((index_name(meta, df.fieldname), (df.fieldname,), False))
    if meta.is_tree:
        index_specs.append((index_name(meta, "lft_rgt"), ("lft", "rgt"), False))
    for columns_of in meta.get("indexes") or []:  # composite indexes (validated on load)
        index_specs.append((index_name(meta, "_".join(columns_of)), tuple(columns_of), False))
    table = sa.Table(
        meta.table_name,
        metadata,
        *columns,
        mysql_engine="InnoDB",
        mysql_charset="utf8mb4",
        mysql_collate="utf8mb4_unicode_ci",
        mysql_row_format="DYNAMIC",
    )
    for name, cols, unique in index_specs:
        sa.Index(name, *(table.c[c] for c in cols), unique=unique)
    return table


def table_for(meta: Meta) -> sa.Table:
    """Cached Table of a meta object (rebuilt whenever meta is rebuilt)."""
    if meta._table is None:  # noqa: SLF001 - the cache slot belongs to this module
        meta._table = build_table(meta)  # noqa: SLF001
    return meta._table  # noqa: SLF001


def cached_statement(meta: Meta, key: tuple, build: Any) -> Any:
    """A statement built once per meta object (meta is rebuilt on any change), so hot paths
    skip SQLAlchemy expression construction and hit its compiled-SQL cache directly."""
    statements = meta._statements  # noqa: SLF001 - the cache slot belongs to this module
    stmt = statements.get(key)
    if stmt is None:
        stmt = statements[key] = build()
    return stmt
