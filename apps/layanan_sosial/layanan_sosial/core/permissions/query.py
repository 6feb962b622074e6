"""Permission conditions for every query path (lists, counts, link search, reports, exports)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .record_rules import query_conditions
from .rights import role_rights
from .shares import has_shares, shared_names
from .userperms import record_conditions

if TYPE_CHECKING:
    from ..context import Context


def list_condition(
    ctx: Context, doctype: str, table: sa.Table | Any, right: str = "read"
) -> sa.ColumnElement[bool] | None:
    """The WHERE condition limiting `table` (rows of `doctype`) to what the user may `right`.

    None means unrestricted; `false()` means nothing. For `select` (Link search) the
    read right suffices too. Record rules (record_rules.py) are AND-ed onto the whole,
    shares included: a share never reveals a record a rule hides (as Frappe's
    has_permission, where a hook's "no" comes before the share check).
    """
    if not ctx.enforce_permissions:
        return None
    granted = _granted_condition(ctx, doctype, table, right)
    if granted is sa.false():
        return granted
    rules = query_conditions(ctx, doctype, table)
    if not rules:
        return granted
    return sa.and_(granted, *rules)


def _granted_condition(
    ctx: Context, doctype: str, table: sa.Table | Any, right: str
) -> sa.ColumnElement[bool]:
    """Roles (with if_owner), User Permissions and shares."""
    meta = ctx.get_meta(doctype)
    rights = role_rights(ctx, doctype)
    allowed = rights.has(right) or (right == "select" and rights.has("read"))
    role_part: sa.ColumnElement[bool] | None = None
    if allowed:
        conditions = list(record_conditions(ctx, meta, table))
        effective = "read" if right == "select" and not rights.has("select") else right
        if rights.only_own(effective):
            conditions.append(table.c.owner == ctx.user)
        role_part = sa.and_(*conditions) if conditions else sa.true()
    share_right = "read" if right == "select" else right
    if has_shares(ctx, doctype, share_right):
        shared = table.c.name.in_(shared_names(ctx, doctype, share_right))
        return shared if role_part is None else sa.or_(role_part, shared)
    return role_part if role_part is not None else sa.false()


def child_list_condition(
    ctx: Context, parent_doctype: str, child_table: sa.Table, right: str = "read"
) -> sa.ColumnElement[bool] | None:
    """Rows of a child table are visible when their parent document is."""
    from ..db.tables import table_for

    parent_table = table_for(ctx.get_meta(parent_doctype))
    condition = list_condition(ctx, parent_doctype, parent_table, right)
    if condition is None:
        return None
    parents = sa.select(parent_table.c.name).where(condition)
    return sa.and_(child_table.c.parenttype == parent_doctype, child_table.c.parent.in_(parents))
