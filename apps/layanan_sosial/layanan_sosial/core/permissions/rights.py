"""Role rights of the context's user on a DocType, from DocPerm / Custom DocPerm rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..meta.model import RIGHTS

if TYPE_CHECKING:
    from ..context import Context

SUBMIT_RIGHTS = frozenset({"submit", "cancel", "amend"})


@dataclass(frozen=True)
class RoleRights:
    """Rights at permlevel 0, and the field levels the roles may read and write."""

    granted: frozenset[str] = frozenset()
    owner_only: frozenset[str] = frozenset()  # granted only on documents the user owns
    read_levels: frozenset[int] = frozenset()
    write_levels: frozenset[int] = frozenset()
    matched_roles: tuple[str, ...] = field(default=())

    def has(self, right: str) -> bool:
        return right in self.granted

    def only_own(self, right: str) -> bool:
        return right in self.owner_only


ALL_RIGHTS = RoleRights(
    granted=frozenset(RIGHTS),
    read_levels=frozenset(range(10)),
    write_levels=frozenset(range(10)),
)


def role_rights(ctx: Context, doctype: str) -> RoleRights:
    """Rights from the permission rows of `doctype` that match the user's roles (cached
    per context). Child tables answer with the rights of nothing: use the parent's."""
    if not ctx.enforce_permissions:
        return ALL_RIGHTS
    cache = ctx.cache.setdefault("role_rights", {})
    if doctype in cache:
        return cache[doctype]
    from .cache import remember

    result = remember(ctx, ("role_rights", ctx.user, doctype), lambda: _compute(ctx, doctype))
    cache[doctype] = result
    return result


def _compute(ctx: Context, doctype: str) -> RoleRights:
    meta = ctx.get_meta(doctype)
    roles = set(ctx.roles)
    rows = [p for p in meta.permissions if p.role in roles]
    level0 = [p for p in rows if p.permlevel == 0]
    granted: set[str] = set()
    owner_only: set[str] = set()
    for right in RIGHTS:
        granting = [p for p in level0 if p.has(right)]
        if not granting:
            continue
        if right in SUBMIT_RIGHTS and not meta.is_submittable:
            continue
        granted.add(right)
        if right != "create" and all(p.props.get("if_owner") for p in granting):
            owner_only.add(right)
    read_levels = {p.permlevel for p in rows if p.has("read")} if "read" in granted else set()
    write_levels = {p.permlevel for p in rows if p.has("write")} if "write" in granted else set()
    result = RoleRights(
        granted=frozenset(granted),
        owner_only=frozenset(owner_only),
        read_levels=frozenset(read_levels | ({0} if "read" in granted else set())),
        write_levels=frozenset(write_levels),
        matched_roles=tuple(sorted({p.role for p in rows})),
    )
    return result
