"""`layanan migrate`: bring a site's database in step with the code (idempotent)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa

from .auth import tables as _auth_tables  # noqa: F401 - registers the auth tables
from .db.internal import create_internal_tables, read_meta_version
from .db.schema import SyncReport, sync_table
from .db.tables import table_for
from .site import Site

if TYPE_CHECKING:
    from .context import Context

log = logging.getLogger(__name__)

# Tables that customisation loading reads must exist before any other meta is built.
BOOTSTRAP_DOCTYPES = ("DocType", "DocField", "DocPerm", "Custom Field", "Property Setter")


@dataclass
class MigrateReport:
    tables: dict[str, SyncReport] = field(default_factory=dict)

    @property
    def changed(self) -> list[str]:
        return [name for name, rep in self.tables.items() if rep.changed]


def migrate(site: Site) -> MigrateReport:
    report = MigrateReport()
    with site.begin(bootstrap=True) as ctx:
        create_internal_tables(ctx.conn)
        ctx.meta_version = read_meta_version(ctx.conn)
        site.meta_cache.invalidate()
        for name in BOOTSTRAP_DOCTYPES:
            report.tables[name] = sync_table(ctx.conn, ctx.get_meta(name))
    site.meta_cache.invalidate()
    with site.begin() as ctx:
        for name in ctx.all_doctypes():
            if name not in report.tables:
                report.tables[name] = sync_table(ctx.conn, ctx.get_meta(name))
    from .users import ensure_standard_users

    with site.begin() as ctx:
        sync_doctype_records(ctx)
        ensure_standard_users(ctx)
    from .fixtures import sync_fixtures

    with site.begin() as ctx:
        sync_fixtures(ctx)
    from .report.sync import sync_standard_reports

    with site.begin() as ctx:
        sync_standard_reports(ctx)
    return report


def sync_doctype_records(ctx: Context) -> int:
    """Keep one tabDocType row per standard DocType (custom=0), as Frappe does, so Links to
    "DocType" validate and DocType lists work. Their fields stay in the JSON files."""
    meta = ctx.get_meta("DocType")
    table = table_for(meta)
    columns = {df.fieldname for df in meta.data_fields}
    existing = {r[0]: r[1] for r in ctx.conn.execute(sa.select(table.c.name, table.c.custom))}
    now = ctx.now()
    written = 0
    for name in ctx.site.meta_cache.files.names():
        raw = ctx.site.meta_cache.files.raw(name)
        values = {k: v for k, v in raw.items() if k in columns and not isinstance(v, list | dict)}
        values.update(custom=0, modified=now, modified_by=ctx.user)
        if name in existing:
            ctx.conn.execute(table.update().where(table.c.name == name).values(**values))
        else:
            ctx.conn.execute(
                table.insert().values(
                    name=name, creation=now, owner=ctx.user, docstatus=0, idx=0, **values
                )
            )
        written += 1
    return written
