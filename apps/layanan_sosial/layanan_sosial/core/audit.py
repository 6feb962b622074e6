"""Audit of reads of sensitive fields.

A DocField with the property `log_read: 1` (e.g. the NIK of a recipient) is personal data
whose every disclosure must be traceable: each time a person is shown its value — a
document, or a list containing the column — one Activity Log row (operation "Access")
records who read which field of which records. Administrators switch it on or off per
field at run time with a Property Setter (`log_read`), like any other field property.

Reads by engine-internal code (`ignore_permissions()`, migrations, jobs opened with the flag)
are not disclosures and are not logged. A response that does not contain the value (the
field is above the user's permlevel, or empty) logs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import Context
    from .meta.model import Meta

MAX_NAMES_IN_SUBJECT = 20


def sensitive_fieldnames(meta: Meta) -> list[str]:
    """Fields with `log_read` (asked on every list and document read: kept on the Meta
    object, which is rebuilt whenever the DocType or its customisation changes)."""
    names = meta.__dict__.get("_log_read_fields")
    if names is None:
        names = [df.fieldname for df in meta.fields if df.flag("log_read")]
        meta.__dict__["_log_read_fields"] = names
    return names


def log_sensitive_read(ctx: Context, meta: Meta, rows: Iterable[Mapping[str, Any]]) -> None:
    """Record that the user of `ctx` was shown the sensitive values present in `rows`."""
    fields = sensitive_fieldnames(meta)
    if not fields or not ctx.reads_are_disclosures:
        return
    shown: set[str] = set()
    names: list[str] = []
    unnamed = 0  # rows selected without their name column (e.g. get_value)
    for row in rows:
        present = [f for f in fields if row.get(f) not in (None, "")]
        if present:
            shown.update(present)
            if row.get("name"):
                names.append(str(row["name"]))
            else:
                unnamed += 1
    if names or unnamed:
        _write(ctx, meta, sorted(shown), names, unnamed)


def _write(ctx: Context, meta: Meta, fields: list[str], names: list[str], unnamed: int) -> None:
    labels = ", ".join(meta.get_field(f).label for f in fields)
    listed = names[:MAX_NAMES_IN_SUBJECT]
    more = len(names) - len(listed) + unnamed
    if more:
        listed.append(f"+{more} baris lainnya" if listed else f"{more} baris")
    subject = f"Membaca {labels} pada {meta.name}: {', '.join(listed)}"
    with ctx.ignore_permissions():
        ctx.new_doc(
            "Activity Log",
            user=ctx.user,
            operation="Access",
            status="Success",
            subject=subject,
            reference_doctype=meta.name,
            reference_name=names[0] if len(names) == 1 else None,
        ).insert()
