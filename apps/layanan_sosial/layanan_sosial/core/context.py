"""A unit of work: one site, one user, one database transaction.

Everything that reads or writes documents takes a Context explicitly (no request globals).
Side effects that must only happen once the data is safely stored (jobs, notifications)
are queued with `after_commit` and run after a successful commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .db.internal import bump_meta_version, read_meta_version
from .exceptions import DoesNotExistError

if TYPE_CHECKING:
    from .document.document import Document
    from .meta.model import Meta
    from .site import Site

log = logging.getLogger(__name__)


class Flags(dict):
    """Per-context switches (e.g. `in_import`, `ignore_links`), readable as attributes."""

    def __getattr__(self, key: str) -> Any:
        return self.get(key)

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value


class Context:
    """Site + user + open transaction. Create with `site.begin(...)`."""

    def __init__(self, site: Site, conn: sa.Connection, user: str, flags: dict[str, Any]):
        self.site = site
        self.conn = conn
        self.user = user
        self.flags = Flags(flags)
        self.meta_version = read_meta_version(conn) if not flags.get("bootstrap") else 0
        self._after_commit: list[Callable[[], None]] = []
        self._after_rollback: list[Callable[[], None]] = []
        self._roles: list[str] | None = None
        self.now_override: dt.datetime | None = flags.get("now")

    @classmethod
    def open(cls, site: Site, *, user: str, write: bool, flags: dict[str, Any]) -> Context:
        conn = site.engine.connect()
        conn.info["write"] = write
        conn.begin()
        try:
            return cls(site, conn, user, flags)
        except BaseException:
            conn.rollback()
            conn.close()
            raise

    # -- transaction -------------------------------------------------------------
    def commit(self, *, reopen: bool = True) -> None:
        """Commit, then run the after-commit queue (errors there are logged, data stays).

        With `reopen` a new transaction starts, so long scripts can commit in batches.
        """
        self.conn.commit()
        callbacks, self._after_commit = self._after_commit, []
        self._after_rollback = []
        for callback in callbacks:
            try:
                callback()
            except Exception:
                log.exception("after-commit task failed on site %s", self.site.name)
        if reopen:
            self.conn.begin()
            self.meta_version = read_meta_version(self.conn)

    def rollback(self) -> None:
        self.conn.rollback()
        self.run_after_rollback()
        self.conn.begin()

    def run_after_rollback(self) -> None:
        self._after_commit = []
        callbacks, self._after_rollback = self._after_rollback, []
        for callback in callbacks:
            callback()

    def close(self) -> None:
        if self.conn.in_transaction():
            self.conn.rollback()
        self.conn.close()

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    def after_rollback(self, callback: Callable[[], None]) -> None:
        self._after_rollback.append(callback)

    # -- clock -------------------------------------------------------------------
    def now(self) -> dt.datetime:
        """Current server time (naive local time, microseconds kept); tests may pin it."""
        return self.now_override or dt.datetime.now()

    def today(self) -> dt.date:
        return self.now().date()

    # -- meta ----------------------------------------------------------------------
    def get_meta(self, doctype: str) -> Meta:
        return self.site.meta_cache.get(self.conn, self.meta_version, doctype)

    def doctype_exists(self, doctype: str) -> bool:
        return self.site.meta_cache.exists(self.conn, self.meta_version, doctype)

    def all_doctypes(self) -> list[str]:
        return self.site.meta_cache.all_names(self.conn, self.meta_version)

    def meta_changed(self) -> None:
        """Call inside the transaction that changed customisation; all processes will reload."""
        self.meta_version = bump_meta_version(self.conn)
        self.site.meta_cache.invalidate()
        self.after_rollback(self.site.meta_cache.invalidate)

    # -- roles ---------------------------------------------------------------------
    @property
    def roles(self) -> list[str]:
        if self._roles is None:
            from .users import get_roles

            self._roles = get_roles(self, self.user)
        return self._roles

    # -- documents (thin delegations so callers need one object) ---------------------
    def new_doc(self, doctype: str, values: dict[str, Any] | None = None, **kw: Any) -> Document:
        from .document.factory import new_doc

        return new_doc(self, doctype, {**(values or {}), **kw})

    def get_doc(
        self, doctype: str | dict[str, Any], name: Any = None, *, for_update: bool = False
    ) -> Document:
        from .document.factory import get_doc, new_doc

        if isinstance(doctype, dict):
            values = dict(doctype)
            return new_doc(self, values.pop("doctype"), values)
        return get_doc(self, doctype, name, for_update=for_update)

    def exists(self, doctype: str, name: Any) -> bool:
        from .document.persistence import row_exists

        return row_exists(self, doctype, name)

    def delete_doc(self, doctype: str, name: Any, **kw: Any) -> None:
        self.get_doc(doctype, name, for_update=True).delete(**kw)

    def get_list(self, doctype: str, **kw: Any) -> list[Any]:
        from .query.get_list import get_list

        return get_list(self, doctype, **kw)

    def get_all(self, doctype: str, **kw: Any) -> list[Any]:
        kw.setdefault("limit_page_length", 0)
        return self.get_list(doctype, **kw)

    def get_count(self, doctype: str, filters: Any = None, **kw: Any) -> int:
        from .query.get_list import get_count

        return get_count(self, doctype, filters=filters, **kw)

    def get_value(
        self, doctype: str, filters: Any, fieldname: str | list[str] = "name", **kw: Any
    ) -> Any:
        from .query.get_list import get_value

        return get_value(self, doctype, filters, fieldname, **kw)

    def set_value(self, doctype: str, name: Any, values: dict[str, Any]) -> Document:
        """Load, change and save through the full document pipeline (validation, versions)."""
        doc = self.get_doc(doctype, name, for_update=True)
        doc.update(values)
        doc.save()
        return doc

    def require(self, doctype: str, name: Any) -> None:
        if not self.exists(doctype, name):
            raise DoesNotExistError(f"{doctype} {name} not found")
