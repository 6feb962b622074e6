"""QueryBuilder: the pieces of one list SELECT — columns (with the joins they need), WHERE
conditions (filters, or_filters, permission), ORDER BY and GROUP BY — every name resolved
against meta before it becomes a SQLAlchemy column. get_list.py assembles the statement."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for
from ..exceptions import FilterError, PermissionError_
from ..fieldtypes import INT_TYPES, from_db
from ..meta.model import STANDARD_FIELD_TYPES
from .fields import FieldRef, parse_field, parse_group_by, parse_order_by
from .filters import Filter, load_json, parse_filters
from .operators import condition

if TYPE_CHECKING:
    from ..context import Context
    from ..meta.model import Meta

AGGREGATES = {
    "count": sa.func.count,
    "sum": sa.func.sum,
    "avg": sa.func.avg,
    "min": sa.func.min,
    "max": sa.func.max,
}


@dataclass
class Column:
    label: str
    expr: Any
    fieldtype: str  # of the column, or of an aggregate's argument
    agg: str | None = None


@dataclass
class Resolved:
    expr: Any
    fieldtype: str
    fieldname: str
    link_target: str | None
    meta: Meta


@dataclass
class QueryBuilder:
    ctx: Context
    doctype: str
    parent_doctype: str | None = None
    right: str = "read"
    meta: Meta = field(init=False)
    table: sa.Table = field(init=False)
    joins: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    aliases: dict[str, Any] = field(default_factory=dict)
    subqueries: int = 0
    _decoding: tuple[int, list[tuple[int, Column]]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.meta = self.ctx.get_meta(self.doctype)
        if self.meta.issingle:
            raise FilterError(f"{self.doctype} adalah DocType tunggal; gunakan get_doc")
        self.table = table_for(self.meta)
        if self.meta.istable and self.parent_doctype:
            parent = self.ctx.get_meta(self.parent_doctype)
            if not any(f.options == self.doctype for f in parent.table_fields):
                # Frappe refuses a "fake" parent the same way
                raise PermissionError_(f"{self.parent_doctype} bukan induk dari {self.doctype}")
        elif self.meta.istable and self.ctx.enforce_permissions:
            raise PermissionError_(
                f"{self.doctype} adalah tabel anak: sebutkan parent (DocType induknya)"
            )

    # -- names ----------------------------------------------------------------------
    def _readable(self, meta: Meta, fieldname: str, owner: str) -> bool:
        if not self.ctx.enforce_permissions:
            return True
        from ..permissions import readable_fieldnames

        key = ("readable", meta.name, owner)
        cache = self.ctx.cache
        if key not in cache:
            cache[key] = readable_fieldnames(self.ctx, meta, owner)
        return fieldname in cache[key]

    def _rights_owner(self, meta: Meta) -> str:
        if meta.istable:
            return self.parent_doctype or meta.name
        return meta.name

    def _column(self, meta: Meta, table: Any, fieldname: str, text: str) -> Resolved:
        if fieldname not in meta.valid_columns():
            raise FilterError(f"{meta.name} tidak memiliki field {fieldname!r} ({text})")
        fieldtype = meta.fieldtype_of(fieldname) or STANDARD_FIELD_TYPES.get(fieldname, "Data")
        df = meta.get_field(fieldname)
        target = df.options if df is not None and df.fieldtype == "Link" else None
        if fieldname == "name" and meta.is_tree:
            target = meta.name
        return Resolved(table.c[fieldname], fieldtype, fieldname, target, meta)

    def _join_link(self, link_field: str) -> tuple[Any, Meta]:
        df = self.meta.get_field(link_field)
        target = self.ctx.get_meta(df.options)
        key = f"l_{link_field}"
        if key not in self.joins:
            joined = table_for(target).alias(key)
            onclause = joined.c.name == self.table.c[link_field]
            if self.ctx.enforce_permissions:
                from ..permissions import list_condition

                allowed = list_condition(self.ctx, target.name, joined, "select")
                if allowed is not None:  # unreadable linked records show as empty
                    onclause = sa.and_(onclause, allowed)
            self.joins[key] = (joined, onclause)
        return self.joins[key][0], target

    def _join_child(self, table_field: str) -> tuple[Any, Meta]:
        df = self.meta.get_field(table_field)
        child = self.ctx.get_meta(df.options)
        key = f"c_{table_field}"
        if key not in self.joins:
            joined = table_for(child).alias(key)
            onclause = sa.and_(
                joined.c.parent == self.table.c.name,
                joined.c.parenttype == self.meta.name,
                joined.c.parentfield == table_field,
            )
            self.joins[key] = (joined, onclause)
        return self.joins[key][0], child

    def resolve(self, ref: FieldRef) -> Resolved:
        """A field reference to a column expression (joining as needed), permission-checked."""
        via = ref.via or ""
        if ref.kind == "plain":
            if ref.field not in self.meta.valid_columns() and ref.field in self.aliases:
                # an alias from `fields` (order_by / group_by may name it)
                return Resolved(self.aliases[ref.field], "Data", ref.field, None, self.meta)
            resolved = self._column(self.meta, self.table, ref.field, ref.text)
        elif ref.kind == "dotted" and self.meta.get_field(via) is None and via.startswith("tab"):
            return self.resolve(FieldRef("table", ref.field, via[3:], text=ref.text))
        elif ref.kind == "dotted":
            resolved = self._resolve_dotted(ref)
        elif ref.kind == "table":
            resolved = self._resolve_table(ref)
        else:
            raise FilterError(f"{ref.text!r} tidak dapat dipakai di sini")
        own_rights = resolved.meta is self.meta or resolved.meta.istable
        owner = self._rights_owner(self.meta) if own_rights else resolved.meta.name
        if not self._readable(resolved.meta, resolved.fieldname, owner):
            raise PermissionError_(f"Tidak diizinkan membaca {ref.text}")
        return resolved

    def _resolve_dotted(self, ref: FieldRef) -> Resolved:
        """link_field.field (LEFT JOIN of the linked record) or table_field.field (LEFT JOIN
        of the child rows: one output row per child row)."""
        df = self.meta.get_field(ref.via or "")
        if df is None or not (df.fieldtype == "Link" or df.is_table):
            raise FilterError(f"{ref.text!r}: {ref.via!r} bukan field Link atau Table")
        if df.fieldtype == "Link":
            joined, target = self._join_link(df.fieldname)
        else:
            joined, target = self._join_child(df.fieldname)
        if not self._readable(self.meta, df.fieldname, self._rights_owner(self.meta)):
            raise PermissionError_(f"Tidak diizinkan membaca {ref.via}")
        return self._column(target, joined, ref.field, ref.text)

    def _resolve_table(self, ref: FieldRef) -> Resolved:
        """`tabX`.field: X is this DocType or one of its child tables."""
        if ref.via == self.meta.name:
            return self._column(self.meta, self.table, ref.field, ref.text)
        table_field = next(
            (f.fieldname for f in self.meta.table_fields if f.options == ref.via), None
        )
        if table_field is None:
            raise FilterError(f"{ref.text!r}: {ref.via} bukan tabel anak dari {self.meta.name}")
        joined, child = self._join_child(table_field)
        return self._column(child, joined, ref.field, ref.text)

    # -- select list ------------------------------------------------------------------
    def add_fields(self, fields: Any) -> None:
        fields = (
            load_json(fields, "fields")
            if isinstance(fields, str) and fields.strip().startswith("[")
            else fields
        )
        if fields is None or fields == "" or fields == []:
            fields = ["name"]
        if isinstance(fields, str):
            fields = [f for f in fields.split(",") if f.strip()]
        if not isinstance(fields, list | tuple):
            raise FilterError("fields harus berupa daftar")
        for token in fields:
            ref = parse_field(token)
            if ref.kind == "star" and not ref.agg:
                if ref.via not in (None, self.meta.name):
                    raise FilterError(f"{token!r}: hanya `tab{self.meta.name}`.* yang didukung")
                for column in self.meta.column_names():
                    if self._readable(self.meta, column, self._rights_owner(self.meta)):
                        self._add(
                            column, self.table.c[column], self.meta.fieldtype_of(column) or "Data"
                        )
                continue
            if ref.agg:
                self._add_aggregate(ref)
                continue
            try:
                resolved = self.resolve(ref)
            except PermissionError_:
                continue  # Frappe drops fields the user may not read from lists, silently
            self._add(self._label(ref, resolved), resolved.expr, resolved.fieldtype)

    def _label(self, ref: FieldRef, resolved: Resolved) -> str:
        """The output key: the alias; else the field name (also for `tabX`.field, which is
        what the database names that column); `link.field` paths keep their dotted text.
        A `tabChild`.field whose bare name is taken keeps its full text instead."""
        if ref.alias:
            return ref.alias
        if ref.kind == "dotted":
            return f"{ref.via}.{ref.field}"
        if ref.kind == "table" and resolved.meta is not self.meta:
            taken = any(c.label == ref.field for c in self.columns)
            return f"`tab{ref.via}`.{ref.field}" if taken else ref.field
        return ref.field

    def _add(self, label: str, expr: Any, fieldtype: str, agg: str | None = None) -> None:
        if any(c.label == label for c in self.columns):
            return
        shared = agg is None and isinstance(getattr(expr, "table", None), sa.Table)
        labelled = _labelled(expr, label) if shared else expr.label(label)
        self.columns.append(Column(label, labelled, fieldtype, agg))
        self.aliases[label] = expr

    def aggregate(self, ref: FieldRef) -> tuple[str, Any, str]:
        """(label, expression, source field type) of count/sum/avg/min/max(...)."""
        fn = AGGREGATES[ref.agg or "count"]
        label = ref.alias or f"{ref.agg}({'distinct ' if ref.distinct else ''}{ref.field})"
        if ref.kind == "star":
            if ref.agg != "count":
                raise FilterError(f"{ref.text!r}: hanya count(*) yang boleh memakai *")
            return label, fn(), "Int"
        resolved = self.resolve(FieldRef(ref.kind, ref.field, ref.via, text=ref.text))
        arg = resolved.expr
        if ref.agg == "avg":  # as a double: MariaDB's decimal AVG keeps only 4 digits
            arg = arg + sa.literal_column("0e0")
        return label, fn(sa.distinct(arg) if ref.distinct else arg), resolved.fieldtype

    def _add_aggregate(self, ref: FieldRef) -> None:
        label, expr, fieldtype = self.aggregate(ref)
        self._add(label, expr, fieldtype, ref.agg)

    # -- conditions -------------------------------------------------------------------
    def conditions(self, filters: Any, or_filters: Any) -> list[Any]:
        """`filters` AND-ed, plus one OR group of `or_filters`."""
        out = [
            self._filter(f) for f in parse_filters(self.meta, filters, get_meta=self.ctx.get_meta)
        ]
        ors = [
            self._filter(f)
            for f in parse_filters(
                self.meta, or_filters, what="or_filters", get_meta=self.ctx.get_meta
            )
        ]
        if ors:
            out.append(sa.or_(*ors))
        return out

    def _filter(self, item: Filter) -> Any:
        if item.doctype != self.meta.name:
            return self._child_filter(item)
        if "." in item.fieldname:  # link_field.field or table_field.field
            ref = parse_field(item.fieldname)
        else:
            ref = FieldRef("plain", item.fieldname, text=item.fieldname)
        return self._apply(self.resolve(ref), item)

    def _child_filter(self, item: Filter) -> Any:
        """A filter on a child table DocType: EXISTS a matching row of this record (one
        output row per record, unlike a join)."""
        owner = self._rights_owner(self.meta)
        table_fields = [
            f.fieldname
            for f in self.meta.table_fields
            if f.options == item.doctype and self._readable(self.meta, f.fieldname, owner)
        ]
        if not table_fields:  # hidden tables are never searched
            raise PermissionError_(f"Tidak diizinkan membaca {item.doctype}")
        child_meta = self.ctx.get_meta(item.doctype)
        self.subqueries += 1
        child = table_for(child_meta).alias(f"f{self.subqueries}")
        resolved = self._column(child_meta, child, item.fieldname, item.fieldname)
        if not self._readable(child_meta, item.fieldname, owner):
            raise PermissionError_(f"Tidak diizinkan membaca {item.fieldname}")
        return sa.exists(
            sa.select(child.c.name).where(
                child.c.parent == self.table.c.name,
                child.c.parenttype == self.meta.name,
                child.c.parentfield.in_(table_fields),
                self._apply(resolved, item),
            )
        )

    def _apply(self, resolved: Resolved, item: Filter) -> Any:
        return condition(
            self.ctx,
            resolved.expr,
            resolved.fieldtype,
            item.operator,
            item.value,
            resolved.fieldname,
            resolved.link_target,
        )

    def permission(self) -> Any:
        """The permission condition for this query (None: unrestricted) — the single place
        rights enter a list query. Child tables are scoped to `parent_doctype` and take
        the parent's rights; everything else asks permissions.list_condition."""
        from ..permissions import list_condition
        from ..permissions.query import child_list_condition

        if self.meta.istable:
            if self.parent_doctype is None:
                return None
            cond = child_list_condition(self.ctx, self.parent_doctype, self.table, self.right)
            scope = self.table.c.parenttype == self.parent_doctype
            if self.ctx.enforce_permissions:  # only rows of the tables the user may read
                parent = self.ctx.get_meta(self.parent_doctype)
                visible = [
                    f.fieldname
                    for f in parent.table_fields
                    if f.options == self.doctype
                    and self._readable(parent, f.fieldname, parent.name)
                ]
                rows = self.table.c.parentfield.in_(visible) if visible else sa.false()
                scope = sa.and_(scope, rows)
            return scope if cond is None else sa.and_(scope, cond)
        return list_condition(self.ctx, self.doctype, self.table, self.right)

    # -- order / group ----------------------------------------------------------------
    def order_clauses(self, order_by: Any) -> list[Any]:
        """`order_by` (fields, `tabX`.fields, aliases or aggregates) else the DocType's
        sort_field/sort_order (Frappe's default: modified desc)."""
        if order_by in (None, "", []):
            order_by = [
                f if " " in f.strip() else f"{f} {self.meta.sort_order}"
                for f in self.meta.sort_field.split(",")
                if f.strip()
            ]
        clauses = []
        for item in parse_order_by(order_by):
            if item.ref.agg:
                label, expr, _ = self.aggregate(item.ref)
                expr = self.aliases.get(label, expr)
            else:
                expr = self.resolve(item.ref).expr
            clauses.append(expr.desc() if item.descending else expr.asc())
        return clauses

    def group_clauses(self, group_by: Any) -> list[Any]:
        refs = parse_group_by(group_by)
        aggregates = {c.label for c in self.columns if c.agg}
        for ref in refs:
            if ref.kind == "plain" and ref.field in aggregates:
                raise FilterError(f"group_by: {ref.field!r} adalah agregat")
        return [self.resolve(ref).expr for ref in refs]

    # -- statement ----------------------------------------------------------------------
    def from_clause(self) -> Any:
        source: Any = self.table
        for joined, onclause in self.joins.values():
            source = source.outerjoin(joined, onclause)
        return source

    def decode_rows(self, rows: list[Any]) -> list[Any]:
        """`decode` for each row; rows needing no conversion (most lists) stay as they are."""
        if not self._decoded_columns():
            return rows
        return [self.decode(row) for row in rows]

    def decode(self, row: Any) -> list[Any]:
        """Column values as Python values, like a loaded document (persistence._decode);
        aggregates come back as int/float on both databases (MariaDB gives Decimal)."""
        values = list(row)
        for i, column in self._decoded_columns():
            value = values[i]
            if value is None:
                continue
            if column.agg:
                values[i] = _aggregate_value(column, value)
            else:
                values[i] = from_db(column.fieldtype, value)
        return values

    def _decoded_columns(self) -> list[tuple[int, Column]]:
        """The columns whose values need converting (most lists have none): computed once
        per query, as decode runs for every row."""
        if self._decoding is None or self._decoding[0] != len(self.columns):
            found = [
                (i, c)
                for i, c in enumerate(self.columns)
                if c.agg or c.fieldtype in ("JSON", "Time")
            ]
            self._decoding = (len(self.columns), found)
        return self._decoding[1]


@lru_cache(maxsize=4096)
def _labelled(column: Any, label: str) -> Any:
    """`column AS label` of a table column, built once: tables live as long as their meta
    and SQL elements are immutable, so the list queries of a DocType share them (columns
    of per-query join aliases are labelled afresh)."""
    return column.label(label)


def _aggregate_value(column: Column, value: Any) -> Any:
    if column.agg == "count" or (column.agg == "sum" and column.fieldtype in INT_TYPES):
        return int(value)
    if column.agg in ("sum", "avg") or isinstance(value, Decimal):
        return float(value)
    return from_db(column.fieldtype, value)
