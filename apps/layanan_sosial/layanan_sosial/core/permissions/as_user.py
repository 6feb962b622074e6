"""Asking what another user may do, without disturbing the context that asks.

`Context.set_user` clears the context's cache and role memo, and a context inside
`ignore_permissions()` answers yes to everything; so the question goes to a copy that
shares the connection (same transaction: it sees this transaction's unsaved rows) and
the process-wide memo of permission facts, but has its own user, roles, cache and
enforcement. The asking context is never touched; the after-commit/rollback queues stay
shared, so a cache the probe fills is still dropped if the transaction rolls back.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..context import Context


def context_as(ctx: Context, user: str) -> Context:
    """A read-only view of `ctx`'s transaction as `user`, for permission questions only
    (never commit, roll back or close it: the connection is the caller's)."""
    probe = copy.copy(ctx)
    # fresh per-context memo, but keep the "permissions changed in this transaction"
    # mark so the probe does not share facts that may still roll back
    probe.cache = {"_permissions_dirty": True} if ctx.cache.get("_permissions_dirty") else {}
    probe.flags = type(ctx.flags)({k: v for k, v in ctx.flags.items() if k != "ignore_permissions"})
    probe._unchecked_depth = 0  # the caller's ignore_permissions() is not the user's right
    probe.set_user(user)
    return probe
