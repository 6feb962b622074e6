"""Python API for live customisation: custom fields, property setters, custom DocTypes.

Thin helpers over the Custom Field / Property Setter / DocType documents (their controllers
validate and change the schema at once), for the admin UI, REST and domain set-up code.

Run each customisation in its own transaction (`with site.begin() as ctx:`): on MariaDB
the schema change commits the transaction implicitly (see core/meta/change.py).
"""

from __future__ import annotations

import copy
import json
from typing import TYPE_CHECKING, Any

from .doctype.custom_field.custom_field import fieldname_from_label
from .doctype.property_setter.property_setter import property_setter_name

if TYPE_CHECKING:
    from .context import Context
    from .document.document import Document

# Keys of Frappe's DocType JSON that describe the file, not the definition.
_FILE_KEYS = frozenset(
    {"doctype", "creation", "modified", "modified_by", "owner", "docstatus", "idx", "field_order"}
)
_ROW_KEYS = frozenset(
    {"doctype", "name", "parent", "parentfield", "parenttype", "creation", "modified", "owner"}
    | {"modified_by", "docstatus"}
)


def add_custom_field(
    ctx: Context, doctype: str, field: dict[str, Any], insert_after: str | None = None
) -> Document:
    """Add a field to `doctype` (column created at once). `field` holds DocField properties;
    a missing fieldname is made from the label (`custom_<label>`)."""
    values = {k: v for k, v in field.items() if k not in ("doctype", "name", "dt")}
    values["dt"] = doctype
    if insert_after is not None:
        values["insert_after"] = insert_after
    return ctx.new_doc("Custom Field", values).insert()


def remove_custom_field(ctx: Context, doctype: str, fieldname: str) -> bool:
    """Delete a Custom Field; returns True when its column was kept because it holds data."""
    doc = ctx.get_doc("Custom Field", f"{doctype}-{fieldname}", for_update=True)
    doc.delete()
    return bool(doc.flags.kept_column)


def set_property(
    ctx: Context,
    doctype: str,
    property: str,  # noqa: A002 - Frappe's name for it
    value: Any,
    fieldname: str | None = None,
    property_type: str | None = None,
) -> Document:
    """Create or update the Property Setter for one DocType- or field-level property."""
    name = property_setter_name(doctype, fieldname, property)
    if isinstance(value, list | dict):
        value = json.dumps(value)
    elif isinstance(value, bool):
        value = int(value)
    if ctx.exists("Property Setter", name):
        doc = ctx.get_doc("Property Setter", name, for_update=True)
        doc.update({"value": value, "property_type": property_type})
        return doc.save()
    values = {
        "doc_type": doctype,
        "doctype_or_field": "DocField" if fieldname else "DocType",
        "field_name": fieldname,
        "property": property,
        "value": value,
        "property_type": property_type,
    }
    return ctx.new_doc("Property Setter", values).insert()


def remove_property(
    ctx: Context, doctype: str, property: str, fieldname: str | None = None
) -> None:  # noqa: A002
    """Delete a Property Setter: the property returns to its standard value."""
    ctx.get_doc(
        "Property Setter", property_setter_name(doctype, fieldname, property), for_update=True
    ).delete()


def create_doctype(ctx: Context, definition: dict[str, Any]) -> Document:
    """Create a custom DocType from Frappe's DocType JSON shape; its table exists at once."""
    values = {k: copy.deepcopy(v) for k, v in definition.items() if k not in _FILE_KEYS}
    values["fields"] = [_row(f) for f in definition.get("fields") or []]
    values["permissions"] = [_row(p) for p in definition.get("permissions") or []]
    values["custom"] = 1
    return ctx.new_doc("DocType", values).insert()


def delete_doctype(ctx: Context, name: str, *, keep_data: bool = False) -> bool:
    """Delete a custom DocType. With documents it is refused unless `keep_data`, which removes
    the definition but keeps its table and rows. Returns True when the table was kept."""
    doc = ctx.get_doc("DocType", name, for_update=True)
    doc.flags.keep_data = keep_data
    # Custom Fields / Property Setters aimed at it go with it; other references are
    # checked by the controller (Link and Table fields of other DocTypes).
    doc.delete(ignore_links=True)
    return bool(doc.flags.kept_table)


def _row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in row.items() if k not in _ROW_KEYS}


__all__ = [
    "add_custom_field",
    "create_doctype",
    "delete_doctype",
    "fieldname_from_label",
    "remove_custom_field",
    "remove_property",
    "set_property",
]
