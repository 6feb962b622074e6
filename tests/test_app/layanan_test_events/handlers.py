"""Handlers named in hooks.doc_events (called as fn(doc, event)) and the record rules
named in hooks.permission_query_conditions / has_permission."""

import sqlalchemy as sa

SECRET = "RAHASIA"
ARCHIVE = "ARSIP"


def shout_title(doc, event):
    if doc.get("judul"):
        doc.judul = doc.judul.upper()


def count_update(doc, event):
    doc.flags.app_updates = (doc.flags.app_updates or 0) + 1


def hook_not_secret(ctx, table):
    return sa.or_(table.c.judul.is_(None), sa.not_(table.c.judul.startswith(SECRET)))


def hook_doc_not_secret(ctx, values, right):
    return not str(values.get("judul") or "").upper().startswith(SECRET)


def hook_archive_read_only(ctx, values, right):
    """Uji Hook titled "ARSIP…" may be read (printed, exported…) but never changed."""
    archived = str(values.get("judul") or "").upper().startswith(ARCHIVE)
    return not archived or right in ("read", "select", "print", "export", "report", "email")
