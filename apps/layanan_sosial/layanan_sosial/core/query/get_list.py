"""Public query API: get_list, get_count, get_value, with Frappe's keyword names so the
REST layer can pass query parameters straight through (JSON strings, `limit` for
`limit_page_length`, `start` for `limit_start`, "0"/"1" flags; unknown keywords such as
`debug` are ignored).

Permissions: every statement gets its WHERE clause from `_where`, which adds
`QueryBuilder.permission()` (→ permissions.list_condition, or the parent's rights for a
child table) to the caller's filters. That is the single extension point: get_list,
get_count and get_value (through get_list) all pass through it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..audit import log_sensitive_read, sensitive_fieldnames
from ..document.persistence import load_single
from ..document.validation import default_value
from ..exceptions import FilterError, PermissionError_
from ..fieldtypes import coerce
from .builder import QueryBuilder
from .fields import parse_order_by
from .filters import load_json

if TYPE_CHECKING:
    from ..context import Context
    from ..meta.model import Meta

MAX_PAGE = 100_000  # guards accidental unbounded list calls through the API (0 = all)


def _int(value: Any, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise FilterError(f"{name} harus bilangan bulat, bukan {value!r}") from exc
    if number < 0:
        raise FilterError(f"{name} tidak boleh negatif")
    return number


def _first(*values: Any) -> Any:
    """The first given value of a parameter and its Frappe aliases."""
    return next((v for v in values if v not in (None, "")), None)


def _flag(value: Any, default: bool) -> bool:
    if value in (None, ""):
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def _where(query: QueryBuilder, filters: Any, or_filters: Any) -> list[Any]:
    """The caller's filters AND the user's permission condition — for every query path."""
    conditions = query.conditions(filters, or_filters)
    permission = query.permission()
    if permission is not None:
        conditions.append(permission)
    return conditions


def build_select(
    ctx: Context,
    doctype: str,
    *,
    fields: Any = None,
    filters: Any = None,
    or_filters: Any = None,
    order_by: Any = None,
    group_by: Any = None,
    parent: str | None = None,
    distinct: bool = False,
    right: str = "read",
) -> tuple[QueryBuilder, sa.Select[Any]]:
    """The list statement (without paging) and the QueryBuilder that knows its columns.
    Its WHERE comes from `_where`, so the permission condition is always part of it."""
    query = QueryBuilder(ctx, doctype, parent_doctype=parent, right=right)
    query.add_fields(fields)
    if not query.columns:  # every requested field is hidden from this user
        raise PermissionError_("Tidak diizinkan membaca field yang diminta")
    conditions = _where(query, filters, or_filters)
    stmt = sa.select(*(c.expr for c in query.columns))
    groups = query.group_clauses(group_by)
    grouped_default = groups and order_by in (None, "", [])  # no default sort for groups
    orders = [] if grouped_default else query.order_clauses(order_by)
    stmt = stmt.select_from(query.from_clause()).where(*conditions)
    if groups:
        stmt = stmt.group_by(*groups)
    if distinct:
        stmt = stmt.distinct()
    if orders:
        stmt = stmt.order_by(*orders)
    return query, stmt


def get_list(
    ctx: Context,
    doctype: str,
    *,
    fields: Any = None,
    filters: Any = None,
    or_filters: Any = None,
    order_by: Any = None,
    group_by: Any = None,
    limit_start: Any = 0,
    limit_page_length: Any = 20,
    limit: Any = None,
    page_length: Any = None,
    start: Any = None,
    as_dict: Any = True,
    parent: str | None = None,
    distinct: bool = False,
    pluck: str | None = None,
    right: str = "read",
    late_row_lookup: bool = False,
    expected_rows: int | None = None,
    **ignored: Any,
) -> list[Any]:
    """Rows of `doctype` the user may read (dicts keyed by output name by default; tuples
    with as_dict=False; one value per row with `pluck`). `limit_page_length` (aliases
    `limit`, `page_length`) defaults to 20; 0 means all rows, and a page is never above
    MAX_PAGE. `limit_start` has the alias `start`.

    `late_row_lookup` (for pages of big tables, e.g. the desk list): the page's names are
    found first with a query that an index (filters + sort column) can answer alone, then
    only those rows are read — instead of reading every matching row to sort them. Same
    result, one more round trip; used only for plain columns of the DocType itself. With
    `expected_rows` (the caller counted the matches, as the desk does) below FEW_ROWS, MariaDB
    is told not to walk the sort column's index: its cost model otherwise prefers that walk
    for rare filters and reads thousands of rows to find a page (measured on 1M rows)."""
    if pluck:
        fields = [pluck]
    query, stmt = build_select(
        ctx,
        doctype,
        fields=fields,
        filters=filters,
        or_filters=or_filters,
        order_by=order_by,
        group_by=group_by,
        parent=parent,
        distinct=_flag(distinct, False),
        right=right,
    )
    page = _int(_first(limit, page_length, limit_page_length), "limit_page_length", 20)
    offset = _int(_first(start, limit_start), "limit_start", 0)
    if late_row_lookup and page and not (group_by or pluck or distinct) and _plain(query):
        few = expected_rows is not None and expected_rows <= FEW_ROWS
        names = _page_names(
            ctx, doctype, filters, or_filters, order_by, parent, right, page, offset, few
        )
        rows = _rows_of(ctx, query, stmt, names)
    else:
        if page:
            stmt = stmt.limit(min(page, MAX_PAGE))
        if offset:
            stmt = stmt.offset(offset)
        rows = query.decode_rows(ctx.conn.execute(stmt).all())
    labels = [c.label for c in query.columns]
    if rows and sensitive_fieldnames(query.meta):
        log_sensitive_read(ctx, query.meta, (dict(zip(labels, row, strict=True)) for row in rows))
    if pluck:
        return [row[0] for row in rows]
    if _flag(as_dict, True):
        return [dict(zip(labels, row, strict=True)) for row in rows]
    return [tuple(row) for row in rows]


FEW_ROWS = 20_000  # matches sorted from the filter's index in a few ms (index-only)


def _rows_of(ctx: Context, query: QueryBuilder, stmt: Any, names: list[Any]) -> list[Any]:
    """The rows of `names` (the WHERE is applied again: cheap on so few rows), in the
    names query's order — ties in the sort stay as it chose them, so pages never overlap."""
    if not names:
        return []
    rows = query.decode_rows(ctx.conn.execute(stmt.where(query.table.c.name.in_(names))).all())
    labels = [c.label for c in query.columns]
    if "name" in labels:
        at = labels.index("name")
        position = {name: i for i, name in enumerate(names)}
        rows.sort(key=lambda row: position.get(row[at], len(position)))
    return rows


def _plain(query: QueryBuilder) -> bool:
    """Only columns of the DocType's own table (no joins, no aggregates)."""
    return not query.joins and all(c.agg is None for c in query.columns)


def _page_names(
    ctx: Context,
    doctype: str,
    filters: Any,
    or_filters: Any,
    order_by: Any,
    parent: str | None,
    right: str,
    page: int,
    offset: int,
    few: bool = False,
) -> list[Any]:
    query, stmt = build_select(
        ctx,
        doctype,
        fields=["name"],
        filters=filters,
        or_filters=or_filters,
        order_by=order_by,
        parent=parent,
        right=right,
    )
    if few:
        sort_indexes = _sort_indexes(query, order_by)
        if sort_indexes:
            hint = f"IGNORE INDEX FOR ORDER BY ({', '.join(sort_indexes)})"
            stmt = stmt.with_hint(query.table, hint, dialect_name="mariadb")
    stmt = stmt.limit(min(page, MAX_PAGE))
    if offset:
        stmt = stmt.offset(offset)
    return [row[0] for row in ctx.conn.execute(stmt)]


def _sort_indexes(query: QueryBuilder, order_by: Any) -> list[str]:
    """Quoted names of the table's indexes that lead with the first sort column."""
    items = parse_order_by(order_by) if order_by not in (None, "", []) else []
    first = items[0].ref.field if items else query.meta.sort_field.split(",")[0].strip()
    return [
        f"`{index.name}`"
        for index in query.table.indexes
        if index.name and next(iter(index.columns)).name == first
    ]


def get_count(
    ctx: Context,
    doctype: str,
    *,
    filters: Any = None,
    or_filters: Any = None,
    distinct: Any = False,
    group_by: Any = None,
    parent: str | None = None,
    **ignored: Any,
) -> int:
    """Number of matching records (of groups, with `group_by`). Joins made by dotted
    filters never count a record twice."""
    query = QueryBuilder(ctx, doctype, parent_doctype=parent)
    conditions = _where(query, filters, or_filters)
    groups = query.group_clauses(group_by)
    source = query.from_clause()
    if groups:
        keys = sa.select(*groups).select_from(source).where(*conditions).group_by(*groups)
        stmt = sa.select(sa.func.count()).select_from(keys.subquery())
    else:
        once = query.joins or _flag(distinct, False)
        counted = sa.func.count(sa.distinct(query.table.c.name)) if once else sa.func.count()
        stmt = sa.select(counted).select_from(source).where(*conditions)
    return int(ctx.conn.execute(stmt).scalar() or 0)


def _fieldnames(fieldname: Any) -> tuple[list[str], bool]:
    """The requested names, and whether one bare value (not a tuple) was asked for."""
    if isinstance(fieldname, str) and fieldname.strip().startswith("["):
        fieldname = load_json(fieldname, "fieldname")
    if isinstance(fieldname, str):
        return [fieldname], True
    names = list(fieldname or ["name"])
    if not all(isinstance(n, str) for n in names):
        raise FilterError(f"fieldname harus berupa teks atau daftar teks, bukan {fieldname!r}")
    return names, False


def _single_values(ctx: Context, meta: Meta, names: list[str]) -> list[Any]:
    """Stored values of a Single DocType (tabSingles); never-saved fields read as defaults."""
    fields = {df.fieldname: df for df in meta.data_fields}
    for name in names:
        if name not in fields and name != "name":
            raise FilterError(f"{meta.name} tidak memiliki field {name!r}")
    if ctx.enforce_permissions:  # the document path checks the user's rights
        doc = ctx.get_doc(meta.name)
        return [doc.get(n) for n in names]
    stored = load_single(ctx, meta)
    out = []
    for name in names:
        if name in stored or name == "name":
            out.append(stored.get(name))
        else:
            df = fields[name]
            out.append(coerce(df.fieldtype, default_value(ctx, df), label=df.label))
    return out


def _by_name(filters: Any) -> Any:
    """A bare name (text or number) means {"name": it}; JSON text and objects are filters."""
    if filters is None or isinstance(filters, int):
        return {"name": filters}
    if isinstance(filters, str) and not filters.strip().startswith(("{", "[")):
        return {"name": filters}
    return filters


def get_value(
    ctx: Context,
    doctype: str,
    filters: Any = None,
    fieldname: Any = "name",
    *,
    as_dict: Any = False,
    order_by: Any = None,
    parent: str | None = None,
    **ignored: Any,
) -> Any:
    """The first matching row: one value (fieldname a string), a tuple (a list, or "*"),
    or a dict keyed like get_list (as_dict); None when nothing matches. `filters` may be
    a name, a dict or a list. Single DocTypes read their stored values (filters ignored)."""
    meta = ctx.get_meta(doctype)
    names, one = _fieldnames(fieldname)
    if meta.issingle:
        if names == ["*"]:
            names = [df.fieldname for df in meta.data_fields]
        row = dict(zip(names, _single_values(ctx, meta, names), strict=True))
    else:
        rows = get_list(
            ctx,
            doctype,
            fields=names,
            filters=_by_name(filters),
            order_by=order_by,
            limit_page_length=1,
            parent=parent,
        )
        if not rows:
            return None
        row = rows[0]
    if _flag(as_dict, False):
        return row
    values = tuple(row.values())
    return values[0] if one and len(values) == 1 else values
