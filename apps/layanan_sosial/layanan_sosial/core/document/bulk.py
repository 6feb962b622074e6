"""The bulk insert path: the same validation and hooks as `insert`, batched SQL.

Per chunk: links are checked with one IN query per target DocType, unique fields with one
IN query per field (plus duplicates inside the batch), naming-series numbers are reserved
with one upsert per series key, and rows are written with executemany. A chunk is one
write scope (`ctx.atomic()`): an error fails the transaction, so none of the rows is kept, and
the error names the row number.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for
from ..exceptions import LayananError, UniqueValidationError, ValidationError
from . import naming, tree, validation
from .lifecycle import _restamp_children, _snapshot, _stamp_new, _translate_integrity
from .persistence import row_values, write_rows

if TYPE_CHECKING:
    from ..context import Context
    from .document import Document


class SeriesAllocator:
    """Hands out series numbers reserved in blocks: plan (count per key), reserve, take."""

    def __init__(self) -> None:
        self.planning = True
        self.requests = 0
        self.parts: tuple[str, int, str] | None = None  # (prefix, digits, suffix) last rendered
        self.wanted: Counter[str] = Counter()
        self.next_number: dict[str, int] = {}
        self.last_number: dict[str, int] = {}

    def request(self, ctx: Context, key: str, count: int) -> int:
        self.requests += 1
        if self.planning:
            self.wanted[key] += count
            return count  # placeholder numbers; names are rendered again after reserve()
        start = self.next_number[key]
        self.next_number[key] = start + count
        if start + count - 1 > self.last_number[key]:
            raise ValidationError(f"penomoran {key}: blok nomor habis")
        return start + count - 1

    def reserve(self, ctx: Context) -> None:
        for key, count in self.wanted.items():
            last = naming.reserve_series_block(ctx, key, count)
            self.next_number[key] = last - count + 1
            self.last_number[key] = last
        self.planning = False


def insert_many(
    ctx: Context, doctype: str, rows: list[dict[str, Any]], *, chunk_size: int = 2000
) -> list[Any]:
    """Insert many documents of one DocType; returns their names in input order."""
    meta = ctx.get_meta(doctype)
    if meta.istable or meta.issingle:
        raise ValidationError(f"{doctype}: bulk insert is only for normal DocTypes")
    names: list[Any] = []
    for start in range(0, len(rows), chunk_size):
        names.extend(_insert_chunk(ctx, doctype, rows[start : start + chunk_size], start))
    if meta.is_tree and rows:
        tree.rebuild_tree(ctx, doctype)
    return names


def _at_row(exc: LayananError, index: int) -> LayananError:
    exc.message = f"Baris {index + 1}: {exc.message}"
    exc.args = (exc.message,)
    for error in exc.errors:
        error.setdefault("index", index)
    return exc


def _insert_chunk(ctx: Context, doctype: str, rows: list[dict[str, Any]], offset: int) -> list[Any]:
    from .factory import new_doc

    meta = ctx.get_meta(doctype)
    docs = [new_doc(ctx, doctype, row) for row in rows]
    links = validation.LinkCache(ctx)
    with ctx.atomic():
        for i, doc in enumerate(docs):
            try:
                validation.set_defaults(doc)
                validation.coerce_values(doc)
                _stamp_new(doc)
            except LayananError as exc:
                raise _at_row(exc, offset + i) from exc
        _prefetch_links(ctx, docs, links)
        _name_all(ctx, docs, offset)
        for doc in docs:  # rows of this batch may link to each other (e.g. a tree's parents)
            links.remember(doctype, str(doc.name), doc._data)
        for i, doc in enumerate(docs):
            try:
                validation.validate_links(doc, links)
                _restamp_children(doc)
                for hook in ("before_validate", "validate", "before_save"):
                    doc.run_method(hook)
                validation.coerce_values(doc)
                validation.validate_mandatory(doc)
                validation.validate_values(doc)
            except LayananError as exc:
                raise _at_row(exc, offset + i) from exc
        _check_unique_batch(ctx, docs, offset)
        _write(ctx, meta, docs)
        for doc in docs:
            doc._db_values = {}
            for hook in ("after_insert", "on_update", "on_change"):
                doc.run_method(hook)
            doc._db_values = _snapshot(doc)
    return [doc.name for doc in docs]


def _name_all(ctx: Context, docs: list[Document], offset: int) -> None:
    """Plan (count series numbers per key), reserve one block per key, then name for real —
    only the documents whose name used a series number are rendered twice."""
    allocator = SeriesAllocator()
    ctx.flags.series_allocator = allocator
    numbered: list[int] = []
    try:
        simple: dict[int, tuple[str, int, str]] = {}
        for i, doc in enumerate(docs):
            requested = allocator.requests
            allocator.parts = None
            try:
                doc.run_method("before_insert")
                naming.set_new_name(doc)
            except LayananError as exc:
                raise _at_row(exc, offset + i) from exc
            if allocator.requests == requested + 1 and allocator.parts is not None:
                simple[i] = allocator.parts  # one plain series number: no second rendering
            elif allocator.requests != requested:
                numbered.append(i)
        allocator.reserve(ctx)
        for i, (prefix, digits, suffix) in simple.items():
            number = allocator.request(ctx, prefix, 1)
            docs[i].name = f"{prefix}{number:0{digits}d}{suffix}"
        for i in numbered:
            docs[i].name = None
            naming.set_new_name(docs[i])
    finally:
        ctx.flags.series_allocator = None
    seen: dict[Any, int] = {}
    for i, doc in enumerate(docs):
        if doc.name in seen:
            raise _at_row(
                ValidationError(f"nama {doc.name} muncul dua kali (baris {seen[doc.name] + 1})"),
                offset + i,
            )
        seen[doc.name] = i


def _prefetch_links(ctx: Context, docs: list[Document], links: validation.LinkCache) -> None:
    wanted: dict[str, set[str]] = defaultdict(set)
    fields: dict[str, set[str]] = defaultdict(set)
    for doc in docs:
        for item in [doc, *(row for _, row in doc.all_children())]:
            fetches = validation.fetch_map(item)
            for df in item.meta.link_fields:
                value = item._data.get(df.fieldname)
                if value not in (None, ""):
                    wanted[df.options].add(str(value))
                    fields[df.options].update(src for _, src in fetches.get(df.fieldname, []))
    for target, names in wanted.items():
        if ctx.doctype_exists(target):
            links.prefetch(target, names, fields[target])


def _check_unique_batch(ctx: Context, docs: list[Document], offset: int) -> None:
    meta = docs[0].meta if docs else None
    if meta is None:
        return
    table = table_for(meta)
    for df in (f for f in meta.data_fields if f.flag("unique")):
        values: dict[Any, int] = {}
        for i, doc in enumerate(docs):
            value = doc._data.get(df.fieldname)
            if value in (None, ""):
                continue
            if value in values:
                raise _at_row(
                    UniqueValidationError(
                        f"{df.label} {value} muncul dua kali (baris {values[value] + offset + 1})",
                        field=df.fieldname,
                    ),
                    offset + i,
                )
            values[value] = i
        existing = ctx.conn.execute(
            sa.select(table.c[df.fieldname]).where(table.c[df.fieldname].in_(list(values)))
        ).first()
        if existing is not None:
            index = values[existing[0]] if existing[0] in values else 0
            raise _at_row(
                UniqueValidationError(
                    f"{meta.name}: {df.label} {existing[0]} sudah dipakai", field=df.fieldname
                ),
                offset + index,
            )


def _write(ctx: Context, meta: Any, docs: list[Document]) -> None:
    parent_rows = [row_values(meta, doc) for doc in docs]
    child_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in docs:
        for _, row in doc.all_children():
            child_rows[row.doctype].append(row_values(row.meta, row))
    try:
        write_rows(ctx, meta, parent_rows)
        for child_doctype, rows in child_rows.items():
            write_rows(ctx, ctx.get_meta(child_doctype), rows)
    except sa.exc.IntegrityError as exc:
        raise _translate_integrity(docs[0], exc) from exc
