"""Helpers shared by the SLRT controllers: which workflow state a save enters, and the
fields that only the workflow fills (a client cannot set them through the REST API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError

STATUS = "workflow_state"


def status_baru(doc: Document) -> str | None:
    """The state this save enters, or None when the state does not change."""
    state = doc.get(STATUS)
    previous = None if doc.is_new() else doc.get_db_value(STATUS)
    return state if state != previous else None


def status_lama(doc: Document) -> str | None:
    return None if doc.is_new() else doc.get_db_value(STATUS)


def lindungi(doc: Document, fields: tuple[str, ...]) -> None:
    """Put back the stored values of workflow-filled fields (empty on a new document)."""
    for field in fields:
        doc.set(field, None if doc.is_new() else doc.get_db_value(field))


def sebagai_datetime(value: Any) -> dt.datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))


def kosong(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cek_pengguna(doc: Document, field: str) -> None:
    """A staff field holds a user id (Data, not Link: staff may not read the User list)."""
    value = doc.get(field)
    if kosong(value):
        doc.set(field, None)
        return
    with doc.ctx.ignore_permissions():
        found = doc.ctx.exists("User", value)
    if not found:
        label = doc.meta.get_field(field).label if doc.meta.get_field(field) else field
        raise ValidationError(f"{label}: pengguna {value} tidak ditemukan", field=field)
