"""The Document: values of one record (and its child rows) plus its controller hooks.

Domain controllers subclass `Document` in `<doctype>.py` beside the JSON and define hook
methods (validate, before_insert, after_insert, before_save, on_update, before_submit,
on_submit, before_cancel, on_cancel, on_trash, after_delete, autoname).
"""

from __future__ import annotations

import copy
import secrets
from typing import TYPE_CHECKING, Any

from ..context import Flags
from ..fieldtypes import to_json_value
from ..meta.model import STANDARD_COLUMNS

if TYPE_CHECKING:
    from ..context import Context

_OWN_ATTRS = frozenset({"ctx", "meta", "doctype", "flags", "parent_doc"})


def new_child_name() -> str:
    return secrets.token_hex(5)


class Document:
    """A record of one DocType. Field values are items and attributes (`doc.nik`)."""

    def __init__(
        self,
        ctx: Context,
        doctype: str,
        values: dict[str, Any] | None = None,
        *,
        parent_doc: Document | None = None,
    ):
        object.__setattr__(self, "ctx", ctx)
        object.__setattr__(self, "doctype", doctype)
        object.__setattr__(self, "meta", ctx.get_meta(doctype))
        object.__setattr__(self, "flags", Flags())
        object.__setattr__(self, "parent_doc", parent_doc)
        object.__setattr__(self, "_data", {})
        object.__setattr__(self, "_db_values", None)  # snapshot as stored, None when new
        for table_field in self.meta.table_fields:
            self._data[table_field.fieldname] = []
        if values:
            self.update(values)

    # -- value access ---------------------------------------------------------------
    def __getattr__(self, key: str) -> Any:
        if key.startswith("__"):
            raise AttributeError(key)
        data = object.__getattribute__(self, "_data")
        if key in data:
            return data[key]
        meta = object.__getattribute__(self, "meta")
        if (
            meta.has_field(key)
            or key in STANDARD_COLUMNS
            or key in ("parent", "parentfield", "parenttype")
        ):
            return None
        raise AttributeError(f"{self.doctype} has no field {key!r}")

    def __setattr__(self, key: str, value: Any) -> None:
        if key.startswith("_") or key in _OWN_ATTRS or hasattr(type(self), key):
            object.__setattr__(self, key, value)
        else:
            self.set(key, value)

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self.set(key, value)

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.doctype} {self.get('name')!r}>"

    def get(self, key: str, default: Any = None) -> Any:
        value = self._data.get(key)
        return default if value is None else value

    def set(self, key: str, value: Any) -> None:
        df = self.meta.get_field(key)
        if df is not None and df.is_table:
            self._data[key] = []
            for row in value or []:
                self.append(key, row)
        else:
            self._data[key] = value

    def update(self, values: dict[str, Any]) -> Document:
        for key, value in values.items():
            if key == "__newname":  # the desk's way to send a prompt name
                self.flags.newname = value
                continue
            if key in ("doctype",) or key.startswith("__"):
                continue
            self.set(key, value)
        return self

    def append(self, table_field: str, values: dict[str, Any] | Document | None = None) -> Document:
        """Add a child row to a Table field and return it."""
        df = self.meta.get_field(table_field)
        if df is None or not df.is_table:
            from ..exceptions import DataError

            raise DataError(
                f"{self.doctype}: {table_field!r} is not a table field", field=table_field
            )
        if isinstance(values, Document):
            row = values
            object.__setattr__(row, "parent_doc", self)
        else:
            from .factory import controller_class

            cls = controller_class(self.ctx, df.options)
            payload = {k: v for k, v in (values or {}).items() if k != "doctype"}
            row = cls(self.ctx, df.options, payload, parent_doc=self)
        rows = self._data.setdefault(table_field, [])
        row.set("parentfield", table_field)
        row.set("parenttype", self.doctype)
        if not row.get("idx"):
            row.set("idx", len(rows) + 1)
        rows.append(row)
        return row

    def get_children(self, table_field: str) -> list[Document]:
        return list(self._data.get(table_field) or [])

    def all_children(self) -> list[tuple[str, Document]]:
        return [
            (df.fieldname, row)
            for df in self.meta.table_fields
            for row in self._data.get(df.fieldname) or []
        ]

    # -- state ----------------------------------------------------------------------
    def is_new(self) -> bool:
        return self._db_values is None

    @property
    def name(self) -> Any:
        return self._data.get("name")

    @name.setter
    def name(self, value: Any) -> None:
        self._data["name"] = value

    @property
    def docstatus(self) -> int:
        return int(self._data.get("docstatus") or 0)

    @docstatus.setter
    def docstatus(self, value: int) -> None:
        self._data["docstatus"] = int(value)

    def get_db_value(self, key: str) -> Any:
        """The value as stored before this change (None for new documents)."""
        return (self._db_values or {}).get(key)

    def has_value_changed(self, key: str) -> bool:
        return self.is_new() or self.get_db_value(key) != self.get(key)

    # -- serialisation ------------------------------------------------------------------
    def as_dict(self, *, json_ready: bool = False, no_nulls: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in self._data.items():
            df = self.meta.get_field(key)
            if df is not None and df.is_table:
                out[key] = [
                    r.as_dict(json_ready=json_ready, no_nulls=no_nulls) for r in value or []
                ]
                continue
            if df is not None and df.fieldtype == "Password" and value:
                value = "*" * len(str(value))
            if json_ready:
                value = to_json_value(value)
            if no_nulls and value is None:
                continue
            out[key] = copy.deepcopy(value) if isinstance(value, dict | list) else value
        out["doctype"] = self.doctype
        return out

    # -- hooks --------------------------------------------------------------------------
    def run_method(self, method: str, *args: Any, **kwargs: Any) -> Any:
        """Run the controller hook `method`, then the engine's and apps' listeners for it."""
        from .events import dispatch

        # look on the class: a missing hook must not fall through to field lookup
        fn = getattr(type(self), method, None)
        result = fn(self, *args, **kwargs) if callable(fn) else None
        dispatch(self, method)
        return result

    # -- lifecycle (implemented in lifecycle.py) ------------------------------------------
    def insert(self, **options: Any) -> Document:
        from .lifecycle import insert

        return insert(self, **options)

    def save(self, **options: Any) -> Document:
        from .lifecycle import save

        return save(self, **options)

    def submit(self) -> Document:
        from .lifecycle import submit

        return submit(self)

    def cancel(self) -> Document:
        from .lifecycle import cancel

        return cancel(self)

    def amend(self) -> Document:
        """A new draft copied from this cancelled document (insert it to save)."""
        from .lifecycle import make_amendment

        return make_amendment(self)

    def delete(self, **options: Any) -> None:
        from .lifecycle import delete

        delete(self, **options)

    def reload(self) -> Document:
        from .factory import load_into

        load_into(self, self.name)
        return self

    def get_password(self, fieldname: str) -> str | None:
        """The decrypted value of a Password field (None when never set)."""
        from ..secrets_store import is_mask, read_secret

        value = self._data.get(fieldname)
        if value not in (None, "") and not is_mask(value):
            return str(value)  # set in this request, not stored yet
        return read_secret(self.ctx, self.doctype, self.name, fieldname)

    def db_set(self, key: str, value: Any, *, update_modified: bool = True) -> None:
        """Write one column directly (no hooks/validation), e.g. flags set by scheduled jobs."""
        from .persistence import update_columns

        values = {key: value}
        if update_modified:
            values["modified"] = self.ctx.now()
            values["modified_by"] = self.ctx.user
        update_columns(self.ctx, self.meta, self.name, values)
        for k, v in values.items():
            self._data[k] = v
            if self._db_values is not None:
                self._db_values[k] = v
