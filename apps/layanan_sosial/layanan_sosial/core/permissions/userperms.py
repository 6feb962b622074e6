"""User Permissions: restrict which records a user sees by the values of Link fields.

A user with rules for DocType X (e.g. Wilayah = 53.71) sees X records only in the allowed
set, and any record whose Link fields to X hold an allowed value (or nothing, unless the
site sets `apply_strict_user_permissions`). Tree DocTypes allow the whole subtree unless
`hide_descendants`. Rules with `applicable_for` apply only to that DocType's records.
Several values for one X are OR-ed; restrictions through different DocTypes are AND-ed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for

if TYPE_CHECKING:
    from ..context import Context
    from ..meta.model import Meta


@dataclass(frozen=True)
class Rule:
    allow: str
    for_value: str
    applicable_for: str | None
    hide_descendants: bool


def user_rules(ctx: Context) -> dict[str, list[Rule]]:
    """All rules of the context's user, grouped by the restricted DocType (cached per context)."""
    cached = ctx.cache.get("user_rules")
    if cached is not None:
        return cached
    from .cache import remember

    rules = remember(ctx, ("user_rules", ctx.user), lambda: _load_rules(ctx))
    ctx.cache["user_rules"] = rules
    return rules


def _load_rules(ctx: Context) -> dict[str, list[Rule]]:
    table = table_for(ctx.get_meta("User Permission"))
    rows = ctx.conn.execute(
        sa.select(
            table.c.allow,
            table.c.for_value,
            table.c.apply_to_all_doctypes,
            table.c.applicable_for,
            table.c.hide_descendants,
        ).where(table.c.user == ctx.user)
    ).all()
    rules: dict[str, list[Rule]] = {}
    for allow, for_value, to_all, applicable_for, hide in rows:
        scope = None if to_all or not applicable_for else applicable_for
        rules.setdefault(allow, []).append(Rule(allow, for_value, scope, bool(hide)))
    return rules


def rules_for(ctx: Context, allow: str, for_doctype: str) -> list[Rule]:
    return [
        r
        for r in user_rules(ctx).get(allow, [])
        if r.applicable_for is None or r.applicable_for == for_doctype
    ]


def _tree_ranges(ctx: Context, doctype: str, names: list[str]) -> list[tuple[int, int]]:
    key = ("tree_ranges", doctype, tuple(sorted(names)))
    if key not in ctx.cache:
        table = table_for(ctx.get_meta(doctype))
        rows = ctx.conn.execute(
            sa.select(table.c.lft, table.c.rgt).where(table.c.name.in_(names))
        ).all()
        ctx.cache[key] = [(int(a), int(b)) for a, b in rows if a is not None and b is not None]
    return ctx.cache[key]


def allowed_condition(
    ctx: Context, allow: str, column: sa.ColumnElement[Any], for_doctype: str
) -> sa.ColumnElement[bool] | None:
    """SQL condition "column holds a value of `allow` the user may use" (None: no rule)."""
    rules = rules_for(ctx, allow, for_doctype)
    if not rules:
        return None
    target = ctx.get_meta(allow)
    plain = [r.for_value for r in rules if not target.is_tree or r.hide_descendants]
    subtree = [r.for_value for r in rules if target.is_tree and not r.hide_descendants]
    conditions: list[sa.ColumnElement[bool]] = []
    if plain:
        conditions.append(column.in_(plain))
    if subtree:
        table = table_for(target).alias(f"up_{len(ctx.cache)}")
        ranges = _tree_ranges(ctx, allow, subtree)
        if ranges:
            from ..query.operators import subtree_names

            inside = sa.or_(*(sa.and_(table.c.lft >= a, table.c.rgt <= b) for a, b in ranges))
            key = ("subtree", allow, tuple(ranges))
            if key not in ctx.cache:
                ctx.cache[key] = subtree_names(ctx, sa.select(table.c.name).where(inside))
            names = ctx.cache[key]
            empty = isinstance(names, list) and not names
            conditions.append(sa.false() if empty else column.in_(names))
    return sa.or_(*conditions) if conditions else sa.false()


def strict(ctx: Context) -> bool:
    return bool(ctx.site.config.get("apply_strict_user_permissions"))


def record_conditions(ctx: Context, meta: Meta, table: sa.Table) -> list[sa.ColumnElement[bool]]:
    """Conditions a record of `meta` must meet: its own name and each restricted Link."""
    conditions: list[sa.ColumnElement[bool]] = []
    own = allowed_condition(ctx, meta.name, table.c.name, meta.name)
    if own is not None:
        conditions.append(own)
    for df in meta.link_fields:
        if df.flag("ignore_user_permissions") or df.fieldname not in table.c:
            continue
        column = table.c[df.fieldname]
        allowed = allowed_condition(ctx, df.options, column, meta.name)
        if allowed is None:
            continue
        if not strict(ctx):
            allowed = sa.or_(column.is_(None), column == "", allowed)
        conditions.append(allowed)
    return conditions


def value_allowed(ctx: Context, allow: str, value: Any, for_doctype: str) -> bool:
    """Whether a Link value (of an unsaved document) is within the user's rules."""
    if value in (None, ""):
        return not (rules_for(ctx, allow, for_doctype) and strict(ctx))
    table = table_for(ctx.get_meta(allow))
    condition = allowed_condition(ctx, allow, table.c.name, for_doctype)
    if condition is None:
        return True
    stmt = sa.select(table.c.name).where(table.c.name == value, condition)
    return ctx.conn.execute(stmt.limit(1)).first() is not None


def document_allowed(ctx: Context, meta: Meta, values: dict[str, Any]) -> bool:
    """The user-permission test for one document's values (stored or not)."""
    if not user_rules(ctx):
        return True
    name = values.get("name")
    if name is not None and rules_for(ctx, meta.name, meta.name):
        if not value_allowed(ctx, meta.name, name, meta.name):
            return False
    for df in meta.link_fields:
        if df.flag("ignore_user_permissions") or not rules_for(ctx, df.options, meta.name):
            continue
        if not value_allowed(ctx, df.options, values.get(df.fieldname), meta.name):
            return False
    return True
