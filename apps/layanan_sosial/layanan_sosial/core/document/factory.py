"""Build Document objects: pick the controller class, load stored records."""

from __future__ import annotations

import importlib
import inspect
from typing import TYPE_CHECKING, Any

from ..exceptions import DoesNotExistError, MetaError
from ..fieldtypes import coerce
from .document import Document
from .persistence import load_children, load_row, load_single
from .validation import default_value

if TYPE_CHECKING:
    from ..context import Context

_controller_cache: dict[str, type[Document]] = {}


def controller_class(ctx: Context, doctype: str) -> type[Document]:
    """The controller in `<doctype>.py` beside the JSON, or plain Document."""
    cached = _controller_cache.get(doctype)
    if cached is not None:
        return cached
    files = ctx.site.meta_cache.files
    cls: type[Document] = Document
    if files.has(doctype):
        source = files.sources[doctype]
        if source.has_controller:
            module = importlib.import_module(source.controller_module)
            wanted = doctype.replace(" ", "").replace("-", "")
            candidates = [
                obj
                for obj in vars(module).values()
                if inspect.isclass(obj)
                and issubclass(obj, Document)
                and obj.__module__ == module.__name__
            ]
            match = [c for c in candidates if c.__name__ == wanted] or candidates
            if not match:
                raise MetaError(
                    f"{source.path.with_suffix('.py')}: no Document subclass named {wanted}"
                )
            cls = match[0]
    _controller_cache[doctype] = cls
    return cls


def new_doc(ctx: Context, doctype: str, values: dict[str, Any] | None = None) -> Document:
    cls = controller_class(ctx, doctype)
    return cls(ctx, doctype, values or {})


def get_doc(ctx: Context, doctype: str, name: Any = None, *, for_update: bool = False) -> Document:
    meta = ctx.get_meta(doctype)
    doc = new_doc(ctx, doctype)
    if meta.issingle:
        name = doctype
    if name is None or name == "":
        raise DoesNotExistError(f"{doctype} tanpa nama tidak ditemukan")
    load_into(doc, name, for_update=for_update)
    if ctx.enforce_permissions:
        from ..permissions import check_permission

        check_permission(ctx, doctype, "read", doc)
    return doc


def load_into(doc: Document, name: Any, *, for_update: bool = False) -> None:
    """Fill `doc` from the database (parent row and child rows); sets its stored snapshot."""
    ctx, meta = doc.ctx, doc.meta
    if meta.issingle:
        row = load_single(ctx, meta)
        for df in meta.data_fields:  # never-saved values read as their defaults
            if df.fieldname not in row:
                row[df.fieldname] = coerce(df.fieldtype, default_value(ctx, df), label=df.label)
    else:
        row = load_row(ctx, meta, name, for_update=for_update)
        if row is None:
            raise DoesNotExistError(f"{meta.name} {name} not found")
    doc._data.clear()
    doc._data.update(row)
    children = load_children(ctx, meta, row["name"]) if meta.table_fields else {}
    for df in meta.table_fields:
        doc._data[df.fieldname] = []
        for child_row in children.get(df.fieldname, []):
            child = controller_class(ctx, df.options)(ctx, df.options, parent_doc=doc)
            child._data.update(child_row)
            child._db_values = dict(child_row)
            doc._data[df.fieldname].append(child)
    doc._db_values = dict(row)
