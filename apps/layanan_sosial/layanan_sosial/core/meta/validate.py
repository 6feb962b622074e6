"""Validation of DocType definitions; every error names the source, the field and the problem."""

from __future__ import annotations

import re
from typing import Any

from ..exceptions import MetaError
from ..fieldtypes import ALL_FIELD_TYPES, DATA_FIELD_TYPES, LAYOUT_TYPES, UNINDEXABLE_TYPES
from .model import CHILD_COLUMNS, PARENT_EXTRA_COLUMNS, STANDARD_COLUMNS

FIELDNAME_RE = re.compile(r"^[a-z_][a-z0-9_]{0,63}$")
DOCTYPE_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9 _\-]{0,60}$")
RESERVED = frozenset(STANDARD_COLUMNS + CHILD_COLUMNS + PARENT_EXTRA_COLUMNS + ("doctype", "_seen"))
AUTONAME_PREFIXES = ("field:", "naming_series:", "format:", "prompt", "hash", "autoincrement", "")
SORT_ORDERS = ("ASC", "DESC")


def _fail(source: str, problem: str, field: str | None = None) -> MetaError:
    where = f"{source}: field {field!r}: " if field else f"{source}: "
    return MetaError(where + problem, field=field)


def validate_doctype_dict(data: dict[str, Any], *, source: str) -> None:
    """Raise MetaError for the first problem found in a DocType definition."""
    name = data.get("name")
    if not isinstance(name, str) or not DOCTYPE_NAME_RE.match(name):
        raise _fail(source, f"invalid DocType name {name!r}")
    fields = data.get("fields", [])
    if not isinstance(fields, list):
        raise _fail(source, "'fields' must be a list")
    seen: set[str] = set()
    for position, field in enumerate(fields, start=1):
        _validate_field(field, position, seen, source, bool(data.get("istable")))
    _validate_doctype_props(data, seen, {f.get("fieldname"): f for f in fields}, source)
    perms = data.get("permissions", [])
    if not isinstance(perms, list):
        raise _fail(source, "'permissions' must be a list")
    for perm in perms:
        if not isinstance(perm, dict) or not perm.get("role"):
            raise _fail(source, f"permission row without a role: {perm!r}")


def _validate_field(
    field: Any, position: int, seen: set[str], source: str, istable: bool = False
) -> None:
    if not isinstance(field, dict):
        raise _fail(source, f"field #{position} is not an object")
    fieldname = field.get("fieldname")
    fieldtype = field.get("fieldtype") or "Data"
    label = fieldname or f"#{position}"
    if not fieldname:
        raise _fail(source, f"field #{position} ({fieldtype}) has no fieldname")
    if not isinstance(fieldname, str) or not FIELDNAME_RE.match(fieldname):
        raise _fail(
            source,
            "fieldname must be lower case letters, digits and _, at most 64 characters",
            label,
        )
    if fieldname in seen:
        raise _fail(source, "fieldname is used twice", fieldname)
    seen.add(fieldname)
    # parent/parentfield/parenttype are columns only of child tables (Custom DocPerm has `parent`)
    reserved = RESERVED if istable else RESERVED - set(CHILD_COLUMNS)
    if fieldname in reserved and fieldtype not in LAYOUT_TYPES:
        raise _fail(source, "fieldname is reserved for a standard column", fieldname)
    if fieldtype not in ALL_FIELD_TYPES:
        raise _fail(source, f"unknown fieldtype {fieldtype!r}", fieldname)
    options = field.get("options") or ""
    if fieldtype in ("Link", "Table", "Table MultiSelect") and not options:
        raise _fail(source, f"{fieldtype} needs 'options' naming the target DocType", fieldname)
    if fieldtype == "Dynamic Link" and not options:
        raise _fail(source, "Dynamic Link needs 'options' naming the DocType field", fieldname)
    if field.get("unique") and fieldtype in UNINDEXABLE_TYPES:
        raise _fail(source, f"{fieldtype} cannot be unique", fieldname)
    length = field.get("length")
    if length not in (None, 0, "") and not (isinstance(length, int) and 1 <= length <= 1000):
        raise _fail(source, "length must be an integer 1–1000", fieldname)
    permlevel = field.get("permlevel", 0) or 0
    if not isinstance(permlevel, int) or not 0 <= permlevel <= 9:
        raise _fail(source, "permlevel must be an integer 0–9", fieldname)


def _validate_doctype_props(
    data: dict[str, Any], fieldnames: set[str], by_name: dict[str, Any], source: str
) -> None:
    autoname = (data.get("autoname") or "").strip()
    if autoname.startswith("field:"):
        target = autoname[len("field:") :].strip()
        if target not in fieldnames:
            raise _fail(source, f"autoname {autoname!r} names a field that does not exist")
    elif autoname.startswith("naming_series:"):
        if "naming_series" not in fieldnames:
            raise _fail(source, "autoname 'naming_series:' needs a 'naming_series' Select field")
    elif not autoname.startswith(AUTONAME_PREFIXES) and "#" not in autoname:
        raise _fail(source, f"unknown autoname rule {autoname!r}")
    for key in ("title_field", "image_field"):
        value = data.get(key)
        if value and value not in fieldnames and value != "name":
            raise _fail(source, f"{key} {value!r} is not a field of this DocType")
    for fieldname in (data.get("search_fields") or "").split(","):
        fieldname = fieldname.strip()
        if fieldname and fieldname not in fieldnames and fieldname != "name":
            raise _fail(source, f"search_fields names unknown field {fieldname!r}")
    _validate_indexes(source, data, by_name)
    sort_field = data.get("sort_field")
    if sort_field and sort_field not in fieldnames and sort_field not in STANDARD_COLUMNS:
        raise _fail(source, f"sort_field {sort_field!r} is not a field of this DocType")
    sort_order = (data.get("sort_order") or "DESC").upper()
    if sort_order not in SORT_ORDERS:
        raise _fail(source, f"sort_order must be ASC or DESC, not {sort_order!r}")
    if data.get("istable") and data.get("is_submittable"):
        raise _fail(source, "a child table (istable) cannot be submittable")
    if data.get("istable") and data.get("issingle"):
        raise _fail(source, "a DocType cannot be both a child table and a single")
    nsm = data.get("nsm_parent_field")
    if data.get("is_tree") and nsm and nsm not in fieldnames:
        raise _fail(source, f"nsm_parent_field {nsm!r} is not a field of this DocType")


def _validate_indexes(source: str, data: dict[str, Any], by_name: dict[str, Any]) -> None:
    """`indexes`: composite (non-unique) indexes as lists of two or more column names —
    ours, not Frappe's (it adds them in code with `on_doctype_update`); the schema sync
    creates and drops them like `search_index`."""
    indexes = data.get("indexes")
    if indexes is None:
        return
    if not isinstance(indexes, list):
        raise _fail(source, "indexes must be a list of lists of column names")
    for columns in indexes:
        if not isinstance(columns, list) or len(columns) < 2:
            raise _fail(source, f"an entry of indexes must list two or more columns: {columns!r}")
        for column in columns:
            if column in STANDARD_COLUMNS:
                continue
            fieldtype = (by_name.get(column) or {}).get("fieldtype") or "Data"
            if column not in by_name or fieldtype not in DATA_FIELD_TYPES:
                raise _fail(source, f"indexes names unknown column {column!r}")
            if fieldtype in UNINDEXABLE_TYPES:
                raise _fail(source, f"indexes: a {fieldtype} column cannot be indexed ({column})")
