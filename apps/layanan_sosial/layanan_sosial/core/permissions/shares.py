"""DocShare: documents shared with a user (or everyone) add back read/write/share/submit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for

if TYPE_CHECKING:
    from ..context import Context

SHARE_RIGHT = {
    "read": "read",
    "select": "read",
    "print": "read",
    "email": "read",
    "write": "write",
    "share": "share",
    "submit": "submit",
}


def _table(ctx: Context) -> sa.Table:
    return table_for(ctx.get_meta("DocShare"))


def _who(ctx: Context, table: sa.Table) -> sa.ColumnElement[bool]:
    return sa.or_(table.c.user == ctx.user, table.c.everyone == 1)


def has_shares(ctx: Context, doctype: str, right: str) -> bool:
    """Whether anything of `doctype` is shared with the user for `right` (cached per context)."""
    column = SHARE_RIGHT.get(right)
    if column is None:
        return False
    from .cache import remember

    def compute() -> bool:
        table = _table(ctx)
        stmt = sa.select(table.c.name).where(
            table.c.share_doctype == doctype, _who(ctx, table), table.c[column] == 1
        )
        return ctx.conn.execute(stmt.limit(1)).first() is not None

    return remember(ctx, ("has_shares", ctx.user, doctype, column), compute)


def shared_names(ctx: Context, doctype: str, right: str) -> sa.Select[Any]:
    table = _table(ctx)
    return sa.select(table.c.share_name).where(
        table.c.share_doctype == doctype, _who(ctx, table), table.c[SHARE_RIGHT[right]] == 1
    )


def is_shared(ctx: Context, doctype: str, name: Any, right: str) -> bool:
    if not has_shares(ctx, doctype, right):
        return False
    table = _table(ctx)
    stmt = shared_names(ctx, doctype, right).where(table.c.share_name == str(name))
    return ctx.conn.execute(stmt.limit(1)).first() is not None
