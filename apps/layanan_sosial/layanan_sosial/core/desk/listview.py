"""The list view-model: columns, filters, sort and one page of rows — two queries (count +
page), both through the engine with the user's Context, so permissions always apply.

The total is exact unless counting would make the page slow on a big table (see
`count_rows`): an unfiltered list nobody's permissions restrict shows the table statistics'
estimate ("sekitar 1.000.000 data") once a table holds more than ESTIMATE_ABOVE rows, and a
count that runs over its time budget (site config `desk_count_budget_ms`, default
COUNT_BUDGET_MS) is stopped and shown as "lebih dari N data" with a button that counts
exactly (`?count=exact`, no budget)."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import sqlalchemy as sa

from ..exceptions import DataError
from ..permissions import has_permission, readable_fieldnames
from ..query.builder import QueryBuilder
from ..query.filters import OPERATORS
from ..query.get_list import build_select
from ..workflow.model import active_workflow
from .formatting import format_value

if TYPE_CHECKING:
    from starlette.datastructures import QueryParams

    from ..context import Context
    from ..meta.model import DocField, Meta

PAGE_LENGTHS = (20, 50, 100, 500)
ESTIMATE_ABOVE = 100_000  # rows: above this an unrestricted, unfiltered list estimates
COUNT_BUDGET_MS = 60  # a count that takes longer is stopped: "lebih dari N"
LIST_OPERATORS = ("=", "!=", "like", "not like", ">", "<", ">=", "<=", "in", "not in", "is")
TEXT_TYPES = frozenset({"Data", "Small Text", "Text", "Long Text", "Text Editor", "Read Only"})
NO_FILTER_TYPES = frozenset({"Table", "Table MultiSelect", "Password", "Attach", "Attach Image"})
NO_FILTER_TYPES |= frozenset({"Section Break", "Column Break", "Tab Break", "HTML", "Button"})
NO_FILTER_TYPES |= frozenset({"Heading", "Fold", "Geolocation", "Signature", "JSON", "Code"})


@dataclass
class Column:
    fieldname: str
    label: str
    fieldtype: str
    options: str = ""


@dataclass
class ListState:
    """What the query string asks for: filters, sort, page."""

    filters: list[list[Any]] = field(default_factory=list)
    sort: str = "modified"
    order: str = "desc"
    page: int = 1
    page_length: int = 20

    def query(self, **changes: Any) -> str:
        """The query string of this state (with `changes`), for links and exports."""
        params: list[tuple[str, Any]] = []
        for fieldname, op, value in self.filters:
            params += [("ff", fieldname), ("fo", op), ("fv", value)]
        values = {
            "sort": self.sort,
            "order": self.order,
            "page": self.page,
            "page_length": self.page_length,
        }
        values.update(changes)
        params += [(k, v) for k, v in values.items() if v not in (None, "")]
        return urlencode(params)


def filterable_fields(ctx: Context, meta: Meta) -> list[DocField]:
    readable = readable_fieldnames(ctx, meta)
    return [
        df
        for df in meta.fields
        if df.has_column and df.fieldtype not in NO_FILTER_TYPES and df.fieldname in readable
    ]


def standard_filters(ctx: Context, meta: Meta) -> list[DocField]:
    return [df for df in filterable_fields(ctx, meta) if df.flag("in_standard_filter")]


def parse_state(meta: Meta, params: QueryParams, allowed: set[str]) -> ListState:
    """ListState from `?ff=field&fo=op&fv=value…` (any field) and `?<field>=value` (standard
    filters); unknown fields and operators are refused (DataError → 417)."""
    state = ListState()
    names, ops, values = params.getlist("ff"), params.getlist("fo"), params.getlist("fv")
    for i, fieldname in enumerate(names):
        if not fieldname:
            continue
        op = (ops[i] if i < len(ops) else "=") or "="
        value = values[i] if i < len(values) else ""
        if fieldname not in allowed or op not in OPERATORS:
            raise DataError(f"Filter tidak dikenal: {fieldname} {op}")
        if value == "" and op not in ("is",):
            continue
        if op in ("in", "not in"):
            value = [v.strip() for v in str(value).split(",") if v.strip()]
        elif op in ("like", "not like") and "%" not in value:
            value = f"%{value}%"
        state.filters.append([fieldname, op, value])
    for fieldname in allowed:
        value = params.get(fieldname)
        if value not in (None, ""):
            df = meta.get_field(fieldname)
            if df is not None and df.fieldtype in TEXT_TYPES:
                state.filters.append([fieldname, "like", f"%{value}%"])
            else:
                state.filters.append([fieldname, "=", value])
    sort = params.get("sort") or meta.sort_field or "modified"
    state.sort = sort if sort in allowed or sort in ("name", "modified", "creation") else "modified"
    order = (params.get("order") or meta.sort_order or "desc").lower()
    state.order = order if order in ("asc", "desc") else "desc"
    state.page = max(1, _int(params.get("page"), 1))
    length = _int(params.get("page_length"), 20)
    state.page_length = length if length in PAGE_LENGTHS else 20
    return state


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def indicator_field(ctx: Context, meta: Meta) -> str | None:
    wf = active_workflow(ctx, meta.name)
    if wf is not None and meta.has_field(wf.state_field):
        return wf.state_field
    if meta.has_field("workflow_state"):
        return "workflow_state"
    df = meta.get_field("status")
    return "status" if df is not None and df.fieldtype == "Select" else None


def list_columns(ctx: Context, meta: Meta) -> list[Column]:
    readable = readable_fieldnames(ctx, meta)
    columns: list[Column] = []
    title = meta.title_field if meta.title_field and meta.has_field(meta.title_field) else None
    if title and title in readable:
        df = meta.get_field(title)
        columns.append(Column(title, df.label or title, df.fieldtype))
    indicator = indicator_field(ctx, meta)
    for df in meta.fields:
        if not df.flag("in_list_view") or not df.has_column or df.fieldname not in readable:
            continue
        if df.fieldname in (title, indicator):
            continue
        columns.append(Column(df.fieldname, df.label or df.fieldname, df.fieldtype, df.options))
    if len(columns) < 2:  # no list columns declared: a few first fields
        for df in filterable_fields(ctx, meta):
            if len(columns) >= 4:
                break
            if df.fieldname not in (title, indicator) and not df.flag("hidden"):
                if all(c.fieldname != df.fieldname for c in columns):
                    columns.append(Column(df.fieldname, df.label or df.fieldname, df.fieldtype))
    return columns


@dataclass
class ListPage:
    meta: Meta
    state: ListState
    columns: list[Column]
    indicator: str | None
    rows: list[dict[str, Any]]
    total: int
    filter_fields: list[DocField]
    standard: list[DocField]
    can_create: bool
    can_delete: bool
    can_export: bool
    workflow_actions: list[str]
    count_kind: str = "exact"  # "exact" | "estimate" (table statistics) | "more" (budget)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.state.page_length))

    @property
    def has_next(self) -> bool:
        if self.count_kind == "more":
            return len(self.rows) >= self.state.page_length
        return self.state.page < self.pages

    def cell(self, row: dict[str, Any], column: Column, yes: str, no: str) -> str:
        return format_value(column.fieldtype, row.get(column.fieldname), yes=yes, no=no)


def query_fields(meta: Meta, columns: list[Column], indicator: str | None) -> list[str]:
    names = ["name", *[c.fieldname for c in columns]]
    if indicator:
        names.append(indicator)
    if meta.is_submittable:
        names.append("docstatus")
    names.append("modified")
    return list(dict.fromkeys(names))


def build_list(ctx: Context, meta: Meta, params: QueryParams) -> ListPage:
    filter_fields = filterable_fields(ctx, meta)
    allowed = {df.fieldname for df in filter_fields} | {"name", "owner", "docstatus"}
    state = parse_state(meta, params, allowed)
    columns = list_columns(ctx, meta)
    indicator = indicator_field(ctx, meta)
    exact = params.get("count") == "exact"
    total, count_kind = count_rows(ctx, meta, state.filters, exact=exact)
    if count_kind != "more":
        pages = max(1, math.ceil(total / state.page_length))
        state.page = min(state.page, pages)
    rows = ctx.get_list(
        meta.name,
        fields=query_fields(meta, columns, indicator),
        filters=state.filters,
        order_by=f"{state.sort} {state.order}",
        limit_start=(state.page - 1) * state.page_length,
        limit_page_length=state.page_length,
        late_row_lookup=True,  # big tables: find the page's names from an index first
        expected_rows=total if count_kind == "exact" else None,
    )
    if count_kind == "more":  # at least what this page shows
        total = (state.page - 1) * state.page_length + len(rows)
    return ListPage(
        meta=meta,
        state=state,
        columns=columns,
        indicator=indicator,
        rows=rows,
        total=total,
        filter_fields=filter_fields,
        standard=[df for df in filter_fields if df.flag("in_standard_filter")],
        can_create=has_permission(ctx, meta.name, "create"),
        can_delete=has_permission(ctx, meta.name, "delete"),
        can_export=has_permission(ctx, meta.name, "export"),
        workflow_actions=bulk_actions(ctx, meta),
        count_kind=count_kind,
    )


def count_rows(
    ctx: Context, meta: Meta, filters: list[list[Any]], *, exact: bool = False
) -> tuple[int, str]:
    """(total, kind) for the list's count line. Exact COUNT(*) on a huge table costs a scan
    (hundreds of ms on 1M rows), so, unless `exact`:
    - tables the statistics put at ≤ ESTIMATE_ABOVE rows (and SQLite, which has no cheap
      statistics) are always counted exactly;
    - on bigger tables, no filters and no permission condition for this user → the
      statistics' estimate (MariaDB information_schema TABLE_ROWS), kind "estimate";
    - otherwise an exact count stopped after the time budget → kind "more" (the caller
      then shows "more than what this page reached" and a button that counts exactly)."""
    guess = None if exact else table_estimate(ctx, meta)
    if guess is None or guess <= ESTIMATE_ABOVE:  # small tables (and SQLite): always exact
        return ctx.get_count(meta.name, filters=filters), "exact"
    if not filters and _unrestricted(QueryBuilder(ctx, meta.name).permission()):
        return guess, "estimate"
    _, stmt = build_select(ctx, meta.name, fields=["name"], filters=filters)
    counted = sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    budget = float(ctx.site.config.get("desk_count_budget_ms") or COUNT_BUDGET_MS) / 1000
    total = _count_within(ctx, counted, budget)
    return (0, "more") if total is None else (total, "exact")


def _unrestricted(condition: Any) -> bool:
    """The permission condition lets every row through (none, or a plain TRUE)."""
    return condition is None or isinstance(condition, sa.sql.elements.True_)


def table_estimate(ctx: Context, meta: Meta) -> int | None:
    if not ctx.site.is_mariadb:
        return None
    value = ctx.conn.execute(
        sa.text(
            "SELECT TABLE_ROWS FROM information_schema.TABLES "
            "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = :name"
        ),
        {"name": meta.table_name},
    ).scalar()
    return None if value is None else int(value)


def _count_within(ctx: Context, stmt: Any, seconds: float) -> int | None:
    """Run a COUNT statement, stopped after `seconds` (None then): MariaDB's session
    max_statement_time, SQLite's progress handler. Only the statement is interrupted; the
    request's transaction goes on."""
    conn = ctx.conn
    if ctx.site.is_mariadb:
        conn.exec_driver_sql(  # the connection's own limit comes back afterwards
            "SET @desk_prev_limit = @@SESSION.max_statement_time, "
            f"SESSION max_statement_time = {float(seconds):.3f}"
        )
        try:
            with ctx.savepoint():
                return int(conn.execute(stmt).scalar() or 0)
        except sa.exc.DBAPIError as exc:
            if "max_statement_time" in str(exc.orig) or "interrupted" in str(exc.orig).lower():
                return None
            raise
        finally:
            conn.exec_driver_sql("SET SESSION max_statement_time = @desk_prev_limit")
    raw = conn.connection.dbapi_connection
    deadline = time.monotonic() + seconds
    raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 20_000)
    try:
        return int(conn.execute(stmt).scalar() or 0)
    except sa.exc.OperationalError as exc:
        if "interrupted" in str(exc.orig).lower():
            return None
        raise
    finally:
        raw.set_progress_handler(None, 0)


def bulk_actions(ctx: Context, meta: Meta) -> list[str]:
    """Workflow actions some transition lets one of the user's roles take."""
    wf = active_workflow(ctx, meta.name)
    if wf is None:
        return []
    roles = set(ctx.roles)
    everyone = not ctx.enforce_permissions
    return list(dict.fromkeys(t.action for t in wf.transitions if everyone or t.roles & roles))


def export_rows(ctx: Context, meta: Meta, params: QueryParams) -> tuple[list[Column], list[list]]:
    """Every row matching the list's filters (same permission scope), for CSV/XLSX."""
    filter_fields = filterable_fields(ctx, meta)
    allowed = {df.fieldname for df in filter_fields} | {"name", "owner", "docstatus"}
    state = parse_state(meta, params, allowed)
    columns = [Column("name", "ID", "Data")] + [
        Column(df.fieldname, df.label or df.fieldname, df.fieldtype)
        for df in filter_fields
        if not df.flag("hidden")
    ]
    rows = ctx.get_list(
        meta.name,
        fields=[c.fieldname for c in columns],
        filters=state.filters,
        order_by=f"{state.sort} {state.order}",
        limit_page_length=0,
        as_dict=False,
    )
    return columns, [list(r) for r in rows]
