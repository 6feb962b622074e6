"""Process-wide memo of permission facts (roles of a user, their User Permission rules,
whether anything is shared, API keys) keyed by the site's permission version.

Every change of who may do what (User, Role, User Permission, DocShare saves, new API keys)
bumps that version in the same transaction, so all processes see it on their next request
while unchanged facts cost no query at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from ..document.events import listen

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document

T = TypeVar("T")
MAX_ENTRIES = 20_000
_memo: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()
WATCHED = frozenset({"User", "Role", "User Permission", "DocShare", "Custom DocPerm"})


def remember(ctx: Context, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    if ctx.cache.get("_permissions_dirty"):
        # this transaction changed permissions and may still roll back: a number it bumped
        # could be reused by another transaction, so nothing it sees is shared
        return compute()
    full = (str(ctx.site.path), ctx.permission_version, ctx.meta_version, *key)
    with _lock:
        if full in _memo:
            return _memo[full]
    value = compute()
    with _lock:
        if len(_memo) >= MAX_ENTRIES:
            _memo.clear()
        _memo[full] = value
    return value


def _changed(doc: Document, event: str) -> None:
    if doc.doctype in WATCHED:
        doc.ctx.permissions_changed()


for _event in ("on_update", "on_change", "after_delete", "on_trash"):
    listen(_event)(_changed)
