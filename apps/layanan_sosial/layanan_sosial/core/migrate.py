"""`layanan migrate`: bring a site's database in step with the code (idempotent)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from .db.internal import create_internal_tables, read_meta_version
from .db.schema import SyncReport, sync_table
from .site import Site

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
        ensure_standard_users(ctx)
    return report
