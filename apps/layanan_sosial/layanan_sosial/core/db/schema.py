"""Keep tables in step with meta on MariaDB and SQLite (Alembic's operations API for DDL).

Creates missing tables, adds missing columns, widens/changes column types when the data
fits, and creates/drops the indexes meta asks for. A column that is no longer in meta is
left in place (and reported): dropping data needs an explicit `drop_orphan_columns`.

Every check that can refuse a change (data longer than a new length, duplicates under a new
unique index, a type change that would lose data) runs in `plan_sync`, read-only, before the
first DDL statement: MariaDB commits the open transaction implicitly at each DDL statement,
so a refusal after some DDL had run would leave the change half-applied.
"""

from __future__ import annotations

import logging
import re
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


@dataclass
class SyncPlan:
    """What `sync_table` would do to one table; built only after the data was checked."""

    table: sa.Table
    create: bool = False
    add: list[sa.Column] = field(default_factory=list)
    alter: list[tuple[sa.Column, sa.types.TypeEngine]] = field(default_factory=list)
    add_indexes: list[sa.Index] = field(default_factory=list)
    drop_indexes: list[str] = field(default_factory=list)
    blank_to_null: list[str] = field(default_factory=list)  # before a unique index on them
    orphans: list[str] = field(default_factory=list)

    @property
    def has_ddl(self) -> bool:
        return bool(self.create or self.add or self.alter or self.add_indexes or self.drop_indexes)


def _type_signature(col_type: sa.types.TypeEngine, dialect: sa.Dialect) -> str:
    return col_type.compile(dialect=dialect).upper().replace(" ", "")


_INT_WIDTH = re.compile(r"^(TINYINT|SMALLINT|MEDIUMINT|INTEGER|INT|BIGINT)\(\d+\)")
_ALIASES = {"INTEGER": "INT", "TINYINT": "INT", "NUMERIC": "DECIMAL"}


def _canonical(signature: str) -> str:
    signature = _INT_WIDTH.sub(r"\1", signature)
    base, paren, rest = signature.partition("(")
    return _ALIASES.get(base, base) + paren + rest


def _needs_alter(
    current: sa.types.TypeEngine, wanted: sa.types.TypeEngine, dialect: sa.Dialect
) -> bool:
    cur, new = _type_signature(current, dialect), _type_signature(wanted, dialect)
    if cur == new:
        return False
    # Reflection spells some types differently from how we create them (display widths).
    cur, new = _canonical(cur), _canonical(new)
    if dialect.name == "sqlite":
        # SQLite enforces no VARCHAR length, but the declared one is kept in step with meta
        # (a table rebuild): it is what the next length change is checked against.
        return cur != new
    cur = (
        cur.split("COLLATE")[0]
        .replace("CHARACTERSET'UTF8MB4'", "")
        .replace("CHARACTERSETUTF8MB4", "")
    )
    return cur != new


def _family(col_type: sa.types.TypeEngine) -> str:
    """Coarse storage family, to tell a harmless type change from a lossy one."""
    if isinstance(col_type, sa.String):
        return "varchar" if col_type.length else "text"
    if isinstance(col_type, sa.Integer):
        return "int"
    if isinstance(col_type, sa.Numeric):
        return "decimal"
    if isinstance(col_type, sa.DateTime):
        return "datetime"
    if isinstance(col_type, sa.Date):
        return "date"
    if isinstance(col_type, sa.Time):
        return "time"
    return type(col_type).__name__.lower()


# (from, to) families whose conversion keeps every value (lengths checked separately).
_WIDENING = frozenset(
    {("int", "decimal"), ("date", "datetime"), ("varchar", "text")}
    | {(f, "text") for f in ("int", "decimal", "date", "datetime", "time")}
)


def _numeric_digits(col_type: sa.types.TypeEngine) -> tuple[int, int] | None:
    precision = getattr(col_type, "precision", None)
    scale = getattr(col_type, "scale", None)
    if precision is None or scale is None:
        return None
    return int(precision), int(scale)


def _check_data_allows(
    conn: sa.Connection,
    table: str,
    column: str,
    current: sa.types.TypeEngine,
    wanted: sa.types.TypeEngine,
) -> None:
    """Refuse a column type change that would cut or mangle stored values."""
    cur_family, new_family = _family(current), _family(wanted)
    if new_family == "varchar":
        cur_len = getattr(current, "length", None) if cur_family == "varchar" else None
        if cur_len is None or cur_len > wanted.length:
            _check_fits(conn, table, column, wanted.length)
        return
    if cur_family == new_family:
        if new_family == "decimal":
            cur_digits, new_digits = _numeric_digits(current), _numeric_digits(wanted)
            if (
                cur_digits
                and new_digits
                and (
                    new_digits[0] - new_digits[1] < cur_digits[0] - cur_digits[1]
                    or new_digits[1] < cur_digits[1]
                )
            ):
                _refuse_if_data(conn, table, column, current, wanted)
        return
    if (cur_family, new_family) in _WIDENING:
        return
    _refuse_if_data(conn, table, column, current, wanted)


def _refuse_if_data(
    conn: sa.Connection,
    table: str,
    column: str,
    current: sa.types.TypeEngine,
    wanted: sa.types.TypeEngine,
) -> None:
    if column_holds_data(conn, table, column):
        dialect = conn.dialect
        raise SchemaError(
            f"{table}.{column}: tipe kolom tidak dapat diubah dari "
            f"{_type_signature(current, dialect)} ke {_type_signature(wanted, dialect)} "
            "karena kolom sudah berisi data yang bisa hilang",
            hint="kosongkan atau pindahkan datanya dulu, atau pilih tipe yang sejenis",
        )


def column_holds_data(
    conn: sa.Connection, table: str, column: str, *, zero_is_empty: bool = False
) -> bool:
    """True when any row has a value in `column` (NULL and '' count as empty; 0 too when
    `zero_is_empty`, e.g. an unticked Check)."""
    col = sa.column(column)
    cond = col.is_not(None)
    if _family(_reflected_type(conn, table, column)) in ("varchar", "text"):
        cond = sa.and_(cond, col != "")
    elif zero_is_empty:
        cond = sa.and_(cond, col != 0)
    row = conn.execute(sa.select(sa.literal(1)).select_from(sa.table(table)).where(cond).limit(1))
    return row.first() is not None


def _reflected_type(conn: sa.Connection, table: str, column: str) -> sa.types.TypeEngine:
    for col in sa.inspect(conn).get_columns(table):
        if col["name"] == column:
            return col["type"]
    raise SchemaError(f"{table}.{column}: kolom tidak ditemukan")


def _check_fits(conn: sa.Connection, table: str, column: str, length: int) -> None:
    col = sa.column(column)
    longest = conn.execute(
        sa.select(sa.func.max(sa.func.length(col))).select_from(sa.table(table))
    ).scalar()
    if longest and longest > length:
        raise SchemaError(
            f"{table}.{column}: panjang tidak dapat diperkecil menjadi {length} karakter, "
            f"data yang tersimpan ada yang {longest} karakter",
            hint="pendekkan datanya dulu atau tetap pakai panjang yang lebih besar",
        )


def plan_sync(conn: sa.Connection, meta: Meta) -> SyncPlan:
    """Compare meta with the table and check the stored data allows every change.

    Read-only; raises SchemaError naming table, column and problem when data would be lost.
    """
    wanted = build_table(meta)
    plan = SyncPlan(table=wanted)
    if meta.issingle or meta.is_virtual:
        return plan
    inspector = sa.inspect(conn)
    if not inspector.has_table(wanted.name):
        plan.create = True
        return plan
    existing = {c["name"]: c for c in inspector.get_columns(wanted.name)}
    dialect = conn.dialect
    for column in wanted.columns:
        if column.name not in existing:
            plan.add.append(column)
            continue
        if column.primary_key:
            continue
        current = existing[column.name]["type"]
        needs_alter = _needs_alter(current, column.type, dialect)
        if (
            needs_alter
            or _family(current) != _family(column.type)
            or getattr(current, "length", None) != getattr(column.type, "length", None)
        ):
            # also when no DDL follows (SQLite lengths): meta would refuse what is stored
            _check_data_allows(conn, wanted.name, column.name, current, column.type)
        if needs_alter:
            plan.alter.append((column, current))
    _plan_indexes(conn, inspector, wanted, plan, {n: c["type"] for n, c in existing.items()})
    plan.orphans = sorted(set(existing) - {c.name for c in wanted.columns})
    return plan


def _is_string(columns: dict[str, sa.types.TypeEngine], column: str) -> bool:
    return _family(columns[column]) in ("varchar", "text")


def _plan_indexes(
    conn: sa.Connection,
    inspector: sa.Inspector,
    wanted: sa.Table,
    plan: SyncPlan,
    existing_cols: dict[str, sa.types.TypeEngine],
) -> None:
    existing = {ix["name"]: ix for ix in inspector.get_indexes(wanted.name)}
    for uc in inspector.get_unique_constraints(wanted.name):
        existing.setdefault(uc["name"], {**uc, "unique": True})
    wanted_names = {ix.name for ix in wanted.indexes}
    for index in wanted.indexes:
        if index.name in existing:
            continue
        if index.unique:
            column = [c.name for c in index.columns][0]
            if column in existing_cols:  # a column added now holds no data yet
                is_string = _is_string(existing_cols, column)
                _check_no_duplicates(conn, wanted.name, column, is_string)
                if is_string:
                    plan.blank_to_null.append(column)
        plan.add_indexes.append(index)
    for name in existing:
        # Only indexes we own (ix_/uq_ prefixes) are dropped when meta stops asking for them.
        if name and name not in wanted_names and name.startswith(("ix_", "uq_")):
            plan.drop_indexes.append(name)


def sync_table(conn: sa.Connection, meta: Meta) -> SyncReport:
    """Create or alter the table of one DocType to match its meta."""
    plan = plan_sync(conn, meta)
    return apply_plan(conn, plan)


def apply_plan(conn: sa.Connection, plan: SyncPlan) -> SyncReport:
    """Run the DDL of a checked plan (on MariaDB each statement commits implicitly)."""
    report = SyncReport(orphans=list(plan.orphans))
    wanted = plan.table
    if plan.create:
        wanted.create(conn)
        report.created = True
        return report
    ops = Operations(MigrationContext.configure(conn))
    # Indexes are dropped first: a rebuilt SQLite table must not carry one meta dropped.
    for name in plan.drop_indexes:
        ops.drop_index(name, table_name=wanted.name)
        report.indexes_dropped.append(name)
    if plan.add or plan.alter:
        with ops.batch_alter_table(wanted.name) as batch:
            for column in plan.add:
                batch.add_column(
                    sa.Column(
                        column.name,
                        column.type,
                        nullable=True,
                        server_default=column.server_default,
                    )
                )
                report.added.append(column.name)
            for column, current in plan.alter:
                batch.alter_column(
                    column.name,
                    type_=column.type,
                    existing_type=current,
                    existing_nullable=True,
                )
                report.altered.append(column.name)
    for name in plan.blank_to_null:
        # '' means "no value" for a unique field (persistence stores it as NULL), so older
        # empty strings must not collide in the new unique index.
        col = sa.column(name)
        conn.execute(sa.table(wanted.name, col).update().where(col == "").values({name: None}))
    for index in plan.add_indexes:
        cols = [c.name for c in index.columns]
        ops.create_index(index.name, wanted.name, cols, unique=bool(index.unique))
        report.indexes_added.append(index.name)
    if report.orphans:
        log.info("%s keeps columns no longer in meta: %s", wanted.name, ", ".join(report.orphans))
    return report


def _check_no_duplicates(conn: sa.Connection, table: str, column: str, is_string: bool) -> None:
    col = sa.column(column)
    stmt = sa.select(col, sa.func.count()).select_from(sa.table(table)).where(col.is_not(None))
    if is_string:
        stmt = stmt.where(col != "")
    dup = conn.execute(stmt.group_by(col).having(sa.func.count() > 1).limit(1)).first()
    if dup is not None:
        raise SchemaError(
            f"{table}.{column}: tidak dapat dijadikan unik, nilai {dup[0]!r} muncul {dup[1]} kali",
            hint="hapus duplikatnya dulu",
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
