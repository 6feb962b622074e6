"""Who hears about a document: enabled users holding given roles (Has Role rows), for
SLA escalations and next-approver emails — and, of those, who may read the document (a
message naming a document is a disclosure of it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..db.tables import table_for
from ..permissions import has_permission
from ..permissions.as_user import context_as

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document


def users_with_roles(ctx: Context, roles: Iterable[str]) -> dict[str, set[str]]:
    """{user: the subset of `roles` they hold}, enabled users only, sorted by user."""
    wanted = sorted(set(roles))
    if not wanted:
        return {}
    users = table_for(ctx.get_meta("User"))
    has_role = table_for(ctx.get_meta("Has Role"))
    stmt = (
        sa.select(users.c.name, has_role.c.role)
        .select_from(
            users.join(
                has_role, (has_role.c.parent == users.c.name) & (has_role.c.parenttype == "User")
            )
        )
        .where(has_role.c.role.in_(wanted), users.c.enabled == 1)
    )
    found: dict[str, set[str]] = {}
    for user, role in ctx.conn.execute(stmt):
        found.setdefault(user, set()).add(role)
    return dict(sorted(found.items()))


def email_address(ctx: Context, user: str) -> str | None:
    """The user's email (User.email, else the name when it is an address)."""
    with ctx.ignore_permissions():
        email = ctx.get_value("User", user, "email") if ctx.exists("User", user) else None
    email = email or user
    return email if "@" in email else None


def may_read(ctx: Context, user: str, doctype: str, doc: Document | dict[str, Any]) -> bool:
    """Whether `user` may read the document (as it stands in ctx's transaction), asked
    without changing ctx's user, caches or ignore_permissions() state."""
    return has_permission(context_as(ctx, user), doctype, "read", doc)


def readers(
    ctx: Context, doctype: str, doc: Document | dict[str, Any], users: Iterable[str]
) -> list[str]:
    """Those of `users` who may read the document, in the given order."""
    return [user for user in users if may_read(ctx, user, doctype, doc)]
