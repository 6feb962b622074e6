"""Keep tables in step with meta on MariaDB and SQLite (Alembic's operations API for DDL).

Creates missing tables, adds missing columns, widens/changes column types when the data
fits, and creates/drops the indexes meta asks for. A column that is no longer in meta is
left in place (and reported): dropping data needs an explicit `drop_orphan_columns`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from ..exceptions import SchemaError
from .tables import build_table

if TYPE_CHECKING:
    from ..meta.model import Meta

log = logging.getLogger(__name__)


@dataclass
class SyncReport:
    created: bool = False
    added: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    indexes_added: list[str] = field(default_factory=list)
    indexes_dropped: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.created or self.added or self.altered or self.indexes_added or self.indexes_dropped
        )


def _type_signature(col_type: sa.types.TypeEngine, dialect: sa.Dialect) -> str:
    return col_type.compile(dialect=dialect).upper().replace(" ", "")


def _needs_alter(
    current: sa.types.TypeEngine, wanted: sa.types.TypeEngine, dialect: sa.Dialect
) -> bool:
    cur, new = _type_signature(current, dialect), _type_signature(wanted, dialect)
    if cur == new:
        return False
    # Reflection spells some types differently from how we create them.
    aliases = {"INTEGER": "INT", "INT(11)": "INT", "BIGINT(20)": "BIGINT", "TINYINT(1)": "INT"}
    cur = aliases.get(cur, cur)
    new = aliases.get(new, new)
    if dialect.name == "sqlite":
        # SQLite has type affinity only; only VARCHAR length changes matter to us (none do).
        return cur.split("(")[0] != new.split("(")[0]
    cur = (
        cur.split("COLLATE")[0]
        .replace("CHARACTERSET'UTF8MB4'", "")
        .replace("CHARACTERSETUTF8MB4", "")
    )
    return cur != new


def _check_fits(conn: sa.Connection, table: str, column: str, wanted: sa.types.TypeEngine) -> None:
    length = getattr(wanted, "length", None)
    if isinstance(wanted, sa.String) and length:
        col = sa.column(column)
        longest = conn.execute(
            sa.select(sa.func.max(sa.func.length(col))).select_from(sa.table(table))
        ).scalar()
        if longest and longest > length:
            raise SchemaError(
                f"{table}.{column}: cannot shrink to {length} characters, existing data is {longest} long",
                hint="shorten the data first or keep the larger length",
            )


def sync_table(conn: sa.Connection, meta: Meta) -> SyncReport:
    """Create or alter the table of one DocType to match its meta."""
    report = SyncReport()
    if meta.issingle or meta.is_virtual:
        return report
    wanted = build_table(meta)
    inspector = sa.inspect(conn)
    if not inspector.has_table(wanted.name):
        wanted.create(conn)
        report.created = True
        return report
    ops = Operations(MigrationContext.configure(conn))
    existing = {c["name"]: c for c in inspector.get_columns(wanted.name)}
    dialect = conn.dialect
    to_add = [c for c in wanted.columns if c.name not in existing]
    to_alter = [
        c
        for c in wanted.columns
        if c.name in existing
        and not c.primary_key
        and _needs_alter(existing[c.name]["type"], c.type, dialect)
    ]
    for column in to_alter:
        _check_fits(conn, wanted.name, column.name, column.type)
    if to_add or to_alter:
        with ops.batch_alter_table(wanted.name) as batch:
            for column in to_add:
                batch.add_column(
                    sa.Column(
                        column.name,
                        column.type,
                        nullable=True,
                        server_default=column.server_default,
                    )
                )
                report.added.append(column.name)
            for column in to_alter:
                batch.alter_column(
                    column.name,
                    type_=column.type,
                    existing_type=existing[column.name]["type"],
                    existing_nullable=True,
                )
                report.altered.append(column.name)
    _sync_indexes(conn, ops, wanted, report)
    report.orphans = sorted(set(existing) - {c.name for c in wanted.columns})
    if report.orphans:
        log.info("%s keeps columns no longer in meta: %s", wanted.name, ", ".join(report.orphans))
    return report


def _sync_indexes(
    conn: sa.Connection, ops: Operations, wanted: sa.Table, report: SyncReport
) -> None:
    inspector = sa.inspect(conn)
    existing = {ix["name"]: ix for ix in inspector.get_indexes(wanted.name)}
    for uc in inspector.get_unique_constraints(wanted.name):
        existing.setdefault(uc["name"], {**uc, "unique": True})
    wanted_names = {ix.name for ix in wanted.indexes}
    for index in wanted.indexes:
        if index.name in existing:
            continue
        cols = [c.name for c in index.columns]
        if index.unique:
            _check_no_duplicates(conn, wanted.name, cols[0])
        ops.create_index(index.name, wanted.name, cols, unique=bool(index.unique))
        report.indexes_added.append(index.name)
    for name in existing:
        # Only indexes we own (ix_/uq_ prefixes) are dropped when meta stops asking for them.
        if name and name not in wanted_names and name.startswith(("ix_", "uq_")):
            ops.drop_index(name, table_name=wanted.name)
            report.indexes_dropped.append(name)


def _check_no_duplicates(conn: sa.Connection, table: str, column: str) -> None:
    col = sa.column(column)
    dup = conn.execute(
        sa.select(col, sa.func.count())
        .select_from(sa.table(table))
        .where(col.is_not(None))
        .where(col != "")
        .group_by(col)
        .having(sa.func.count() > 1)
        .limit(1)
    ).first()
    if dup is not None:
        raise SchemaError(
            f"{table}.{column}: cannot make unique, value {dup[0]!r} appears {dup[1]} times",
            hint="remove the duplicates first",
        )


def drop_orphan_columns(conn: sa.Connection, meta: Meta, columns: list[str]) -> None:
    """Explicitly drop columns that meta no longer has (data in them is lost)."""
    wanted = build_table(meta)
    allowed = set(columns) - {c.name for c in wanted.columns}
    if not allowed:
        return
    ops = Operations(MigrationContext.configure(conn))
    with ops.batch_alter_table(wanted.name) as batch:
        for name in sorted(allowed):
            batch.drop_column(name)
