"""Apply one customisation at once: check the meta it produces, then change the schema.

Custom Field, Property Setter and custom DocType controllers go through here, so a change
is live in this process immediately and in every other process on its next request (the
meta version row is bumped in the same transaction).

Atomicity, per backend:

* SQLite runs DDL inside the transaction: the customisation rows, the version bump and the
  table change commit or roll back together.
* MariaDB commits the open transaction implicitly *before* every DDL statement. Hence:
  1. everything that can refuse a change runs read-only before the first DDL statement —
     the merged meta the change would produce is validated (`preview`) and the schema plan
     is checked against the stored data (`plan_sync`: truncation, duplicates under a new
     unique index, lossy type changes). A refusal leaves nothing behind;
  2. the DDL runs last (in on_update / after_delete), so the implicit commit stores the
     customisation row and the version bump together with the table change;
  3. if the DDL still fails (a write racing the check, a server limit), `run_ddl` puts the
     customisation rows back as they were before (snapshot taken before the change) and
     commits that, so meta never describes a column that is not there. Columns or indexes
     the failed sync had already added stay, empty, and are reported as orphans;
  4. work done earlier in the same transaction is committed by the DDL too, and a
     savepoint cannot span DDL: run a customisation in its own transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa

from ..db.internal import bump_meta_version
from ..db.schema import SyncReport, sync_table
from ..db.tables import table_for
from ..exceptions import MetaError, ValidationError
from ..fieldtypes import TABLE_TYPES
from .cache import PROTECTED_DOCTYPES, build_meta
from .customize import CustomisationRows, load_customisations

if TYPE_CHECKING:
    from ..context import Context
    from .model import Meta

log = logging.getLogger(__name__)
T = TypeVar("T")


def to_validation_error(exc: MetaError, *, field: str | None = None) -> ValidationError:
    """A meta problem caused by a user's change is a 417 on that change, not a server error."""
    error = ValidationError(exc.message, field=field or exc.field, hint=exc.hint)
    if exc.field:
        error.errors = [
            {"field": field or exc.field, "fieldname": exc.field, "message": exc.message}
        ]
    return error


def preview(
    ctx: Context,
    doctype: str,
    change: Callable[[CustomisationRows], None],
    *,
    field: str | None = None,
) -> Meta:
    """Merged meta of `doctype` as it will be once `change` is stored; validated.

    Reads the customisation rows in this transaction, applies `change` to them in memory and
    merges; a resulting meta problem is raised as ValidationError on `field`.
    """
    files = ctx.site.meta_cache.files
    rows = load_customisations(ctx.conn, files)
    change(rows)
    try:
        return build_meta(files, rows, doctype)
    except MetaError as exc:
        raise to_validation_error(exc, field=field) from exc


def check_customisable(ctx: Context, doctype: str, *, field: str) -> None:
    """Customisations may target any existing DocType except the engine's own."""
    if not doctype:
        raise ValidationError("DocType tujuan wajib diisi", field=field)
    if doctype in PROTECTED_DOCTYPES:
        raise ValidationError(
            f"{doctype} adalah DocType inti dan tidak dapat dikustomisasi", field=field
        )
    if not ctx.doctype_exists(doctype):
        raise ValidationError(f"DocType {doctype} tidak ditemukan", field=field)


def check_field_targets(
    ctx: Context,
    props: dict[str, Any],
    owner: str,
    *,
    field: str,
    siblings: Iterable[str],
    owner_istable: bool,
) -> None:
    """What one field points at must exist: a Link's DocType (or `owner` itself), a Table's
    child DocType (istable, not itself, never inside another child), a Dynamic Link's field
    among `siblings` (the other fieldnames of `owner`)."""
    fieldtype = props.get("fieldtype") or "Data"
    options = (props.get("options") or "").strip()
    label = props.get("label") or props.get("fieldname")
    if fieldtype == "Link" and options and options != owner and not ctx.doctype_exists(options):
        raise ValidationError(f"{label}: Link ke DocType {options} yang tidak ada", field=field)
    if fieldtype == "Dynamic Link" and options and options not in set(siblings):
        raise ValidationError(
            f"{label}: Dynamic Link butuh field {options!r} di DocType ini", field=field
        )
    if fieldtype not in TABLE_TYPES or not options:
        return
    if owner_istable:
        raise ValidationError(f"{label}: tabel anak tidak boleh memuat tabel lain", field=field)
    if options == owner:
        raise ValidationError(f"{label}: tabel tidak boleh berisi DocType itu sendiri", field=field)
    if not ctx.doctype_exists(options):
        raise ValidationError(f"{label}: tabel anak {options} tidak ada", field=field)
    child = ctx.get_meta(options)
    if not child.istable:
        raise ValidationError(
            f"{label}: {options} bukan tabel anak (istable), tidak dapat dipakai di {fieldtype}",
            field=field,
        )
    if fieldtype == "Table MultiSelect" and not child.link_fields:
        raise ValidationError(
            f"{label}: tabel anak {options} harus punya field Link untuk Table MultiSelect",
            field=field,
        )


class Undo:
    """Rows as stored before a change; written back if DDL fails after MariaDB's implicit
    commit (step 3 in the module docstring)."""

    def __init__(self) -> None:
        self._entries: list[tuple[sa.Table, Any, list[dict[str, Any]]]] = []

    def keep(self, conn: sa.Connection, table: sa.Table, where: Any) -> None:
        rows = [dict(r._mapping) for r in conn.execute(sa.select(table).where(where))]
        self._entries.append((table, where, rows))

    def restore(self, conn: sa.Connection) -> None:
        for table, where, rows in reversed(self._entries):
            conn.execute(table.delete().where(where))
            if rows:
                conn.execute(table.insert(), rows)


def snapshot(ctx: Context, doctype: str, name: Any) -> Undo | None:
    """Undo data for one document and its child rows (MariaDB only; SQLite rolls back DDL)."""
    if not ctx.site.is_mariadb:
        return None
    undo = Undo()
    meta = ctx.get_meta(doctype)
    table = table_for(meta)
    undo.keep(ctx.conn, table, table.c.name == name)
    for child_doctype in {df.options for df in meta.table_fields}:
        child = table_for(ctx.get_meta(child_doctype))
        undo.keep(
            ctx.conn, child, sa.and_(child.c.parent == str(name), child.c.parenttype == doctype)
        )
    return undo


def run_ddl(ctx: Context, ddl: Callable[[], T], undo: Undo | None) -> T:
    """Run schema changes last; on MariaDB undo the already-committed rows if they fail."""
    try:
        return ddl()
    except Exception:
        if ctx.site.is_mariadb and undo is not None:
            _compensate(ctx, undo)
        raise


def _compensate(ctx: Context, undo: Undo) -> None:
    conn = ctx.conn
    try:
        conn.rollback()
        with conn.begin():
            undo.restore(conn)
            bump_meta_version(conn)
    except Exception:
        log.exception(
            "site %s: could not undo a customisation after its DDL failed; check Custom Field "
            "/ Property Setter / DocType rows against the tables",
            ctx.site.name,
        )
    finally:
        ctx.site.meta_cache.invalidate()
        conn.begin()  # the context stays usable; the caller's error path rolls it back


def apply_schema(ctx: Context, doctypes: Iterable[str], undo: Undo | None) -> list[SyncReport]:
    """Mark meta changed (all processes reload), then bring each table in step at once."""
    ctx.meta_changed()
    names = list(doctypes)

    def ddl() -> list[SyncReport]:
        return [sync_table(ctx.conn, ctx.get_meta(name)) for name in names]

    reports = run_ddl(ctx, ddl, undo)
    for name, report in zip(names, reports, strict=True):
        if report.orphans:
            log.info("site %s: %s keeps columns %s", ctx.site.name, name, report.orphans)
    return reports
