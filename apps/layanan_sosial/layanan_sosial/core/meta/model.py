"""In-memory DocType metadata, shaped after Frappe's DocType JSON (frappe_compat §1)."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..fieldtypes import DATA_FIELD_TYPES, TABLE_TYPES

STANDARD_COLUMNS = ("name", "owner", "creation", "modified", "modified_by", "docstatus", "idx")
CHILD_COLUMNS = ("parent", "parentfield", "parenttype")
PARENT_EXTRA_COLUMNS = ("_user_tags", "_comments", "_assign", "_liked_by")
# Fields a client can never set directly (frappe_compat §1.5 default_fields).
DEFAULT_FIELDS = frozenset(("doctype",) + STANDARD_COLUMNS)
STANDARD_FIELD_TYPES = {
    "name": "Data",
    "owner": "Link",
    "creation": "Datetime",
    "modified": "Datetime",
    "modified_by": "Link",
    "docstatus": "Int",
    "idx": "Int",
    "parent": "Data",
    "parentfield": "Data",
    "parenttype": "Data",
    "_user_tags": "Text",
    "_comments": "Text",
    "_assign": "Text",
    "_liked_by": "Text",
    "_seen": "Text",
}
RIGHTS = (
    "read",
    "write",
    "create",
    "delete",
    "submit",
    "cancel",
    "amend",
    "report",
    "export",
    "import",
    "share",
    "print",
    "email",
    "select",
)


def scrub(name: str) -> str:
    """'Penerima Manfaat' → 'penerima_manfaat' (folder and file names)."""
    return re.sub(r"[^a-z0-9_]+", "_", name.strip().lower()).strip("_")


def slug(name: str) -> str:
    """'Penerima Manfaat' → 'penerima-manfaat' (desk routes)."""
    return scrub(name).replace("_", "-")


@dataclass
class DocField:
    """One field of a DocType. `props` keeps every Frappe property verbatim."""

    props: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        value = self.props.get(key)
        return default if value is None else value

    # DocFields are not mutated once meta is built; these are read on every write.
    @cached_property
    def fieldname(self) -> str:
        return self.props["fieldname"]

    @cached_property
    def fieldtype(self) -> str:
        return self.props.get("fieldtype") or "Data"

    @cached_property
    def label(self) -> str:
        return self.props.get("label") or self.fieldname

    @cached_property
    def options(self) -> str:
        return self.props.get("options") or ""

    @cached_property
    def has_column(self) -> bool:
        return self.fieldtype in DATA_FIELD_TYPES and not self.props.get("is_virtual")

    @cached_property
    def is_table(self) -> bool:
        return self.fieldtype in TABLE_TYPES

    @property
    def permlevel(self) -> int:
        return int(self.props.get("permlevel") or 0)

    def flag(self, key: str) -> bool:
        return bool(self.props.get(key))

    @cached_property
    def select_options(self) -> list[str]:
        return [o.strip() for o in self.options.split("\n") if o.strip()]


@dataclass
class DocPerm:
    props: dict[str, Any]

    @property
    def role(self) -> str:
        return self.props.get("role") or ""

    @property
    def permlevel(self) -> int:
        return int(self.props.get("permlevel") or 0)

    def has(self, right: str) -> bool:
        return bool(self.props.get(right))


@dataclass
class Meta:
    """Merged metadata of one DocType (standard JSON + customisations)."""

    name: str
    props: dict[str, Any]
    fields: list[DocField]
    permissions: list[DocPerm]
    source: str = ""  # file path or "database", used in error messages
    _by_name: dict[str, DocField] = field(default_factory=dict, repr=False)
    _table: Any = field(default=None, repr=False)
    _statements: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {f.fieldname: f for f in self.fields if f.props.get("fieldname")}

    def get(self, key: str, default: Any = None) -> Any:
        value = self.props.get(key)
        return default if value is None else value

    def flag(self, key: str) -> bool:
        return bool(self.props.get(key))

    @property
    def istable(self) -> bool:
        return self.flag("istable")

    @property
    def issingle(self) -> bool:
        return self.flag("issingle")

    @property
    def is_submittable(self) -> bool:
        return self.flag("is_submittable")

    @property
    def is_tree(self) -> bool:
        return self.flag("is_tree")

    @property
    def is_virtual(self) -> bool:
        return self.flag("is_virtual")

    @property
    def table_name(self) -> str:
        return "tab" + self.name

    @property
    def autoname(self) -> str:
        return (self.props.get("autoname") or "").strip()

    @property
    def title_field(self) -> str:
        return self.props.get("title_field") or ""

    @property
    def sort_field(self) -> str:
        return self.props.get("sort_field") or "modified"

    @property
    def sort_order(self) -> str:
        return (self.props.get("sort_order") or "DESC").upper()

    @property
    def search_fields(self) -> list[str]:
        raw = self.props.get("search_fields") or ""
        return [f.strip() for f in raw.split(",") if f.strip()]

    @property
    def nsm_parent_field(self) -> str:
        return self.props.get("nsm_parent_field") or "parent_" + scrub(self.name)

    def has_field(self, fieldname: str) -> bool:
        return fieldname in self._by_name

    def get_field(self, fieldname: str) -> DocField | None:
        return self._by_name.get(fieldname)

    # Meta is never mutated after it is built (a change builds a new Meta), so the derived
    # lists below are computed once; they sit on the hot path of every read and write.
    @cached_property
    def data_fields(self) -> list[DocField]:
        return [f for f in self.fields if f.has_column]

    @cached_property
    def table_fields(self) -> list[DocField]:
        return [f for f in self.fields if f.is_table]

    @cached_property
    def link_fields(self) -> list[DocField]:
        return [f for f in self.fields if f.fieldtype == "Link"]

    def standard_columns(self) -> tuple[str, ...]:
        cols = STANDARD_COLUMNS
        if self.istable:
            cols = cols + CHILD_COLUMNS
        else:
            cols = cols + PARENT_EXTRA_COLUMNS
            if self.flag("track_seen"):
                cols = cols + ("_seen",)
        return cols

    def column_names(self) -> list[str]:
        """Every column of this DocType's table, standard first."""
        return list(self._column_names)

    @property
    def column_names_tuple(self) -> tuple[str, ...]:
        return self._column_names

    @cached_property
    def _column_names(self) -> tuple[str, ...]:
        return tuple(self.standard_columns()) + tuple(f.fieldname for f in self.data_fields)

    @cached_property
    def column_types(self) -> tuple[tuple[str, str], ...]:
        """(column, fieldtype) for every column, standard first."""
        return tuple((c, self.fieldtype_of(c) or "Data") for c in self._column_names)

    @cached_property
    def password_fields(self) -> tuple[DocField, ...]:
        return tuple(f for f in self.data_fields if f.fieldtype == "Password")

    @cached_property
    def unique_columns(self) -> tuple[str, ...]:
        return tuple(f.fieldname for f in self.data_fields if f.flag("unique"))

    def valid_columns(self) -> frozenset[str]:
        return self._valid_columns

    @cached_property
    def _valid_columns(self) -> frozenset[str]:
        return frozenset(self._column_names)

    def fieldtype_of(self, fieldname: str) -> str | None:
        df = self._by_name.get(fieldname)
        if df is not None:
            return df.fieldtype
        return STANDARD_FIELD_TYPES.get(fieldname)

    def as_dict(self) -> dict[str, Any]:
        """Frappe-shaped JSON of the merged meta (what /api/v2/doctype/<dt>/meta returns)."""
        out = copy.deepcopy(self.props)
        out["name"] = self.name
        out["doctype"] = "DocType"
        out["fields"] = [copy.deepcopy(f.props) for f in self.fields]
        out["permissions"] = [copy.deepcopy(p.props) for p in self.permissions]
        return out
