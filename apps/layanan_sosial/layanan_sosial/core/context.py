"""A unit of work: one site, one user, one database transaction.

Everything that reads or writes documents takes a Context explicitly (no request globals).
Side effects that must only happen once the data is safely stored (jobs, notifications)
are queued with `after_commit` and run after a successful commit.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from .db.internal import bump_meta_version, bump_permission_version, read_versions
from .exceptions import DoesNotExistError, TransactionFailedError

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
        self.meta_version, self.permission_version = (
            read_versions(conn) if not flags.get("bootstrap") else (0, 0)
        )
        self._after_commit: list[Callable[[], None]] = []
        self._after_rollback: list[Callable[[], None]] = []
        self._roles: list[str] | None = None
        self._unchecked_depth = 0
        self.write_count = 0
        self._meta_dirty = False  # this transaction changed customisations
        # Per-transaction memo (role rights, user-permission rules, ...); dies with the context.
        self.cache: dict[Any, Any] = {}
        # One entry per open scope: the transaction itself, then each savepoint().
        self._scope_failures: list[BaseException | None] = [None]
        self.now_override: dt.datetime | None = flags.get("now")

    @classmethod
    def open(cls, site: Site, *, user: str, write: bool, flags: dict[str, Any]) -> Context:
        """Check out a connection and begin. A pooled connection the server has dropped is
        detected by the first statement (the meta-version read) and replaced once — cheaper
        than the pool pinging the server before every checkout."""
        for attempt in (1, 2):
            conn = site.engine.connect()
            conn.info["write"] = write
            try:
                conn.begin()
                return cls(site, conn, user, flags)
            except sa.exc.DBAPIError as exc:
                conn.close()
                if attempt == 2 or not exc.connection_invalidated:
                    raise
            except BaseException:
                conn.close()
                raise
        raise AssertionError("unreachable")

    # -- transaction -------------------------------------------------------------
    def commit(self, *, reopen: bool = True) -> None:
        """Commit, then run the after-commit queue (errors there are logged, data stays).

        With `reopen` a new transaction starts, so long scripts can commit in batches.
        A transaction in which a document write failed is never committed: it is rolled
        back and the write's error is raised again, so nothing half-written is stored.
        """
        failure = self._scope_failures[0]
        if failure is not None:
            self.rollback()
            raise TransactionFailedError(
                f"transaksi dibatalkan karena penyimpanan sebelumnya gagal: {failure}"
            ) from failure
        self.conn.commit()
        callbacks, self._after_commit = self._after_commit, []
        self._after_rollback = []
        for callback in callbacks:
            try:
                callback()
            except Exception:
                log.exception("after-commit task failed on site %s", self.site.name)
        self.cache.pop("_permissions_dirty", None)  # committed: safe to share again
        self._meta_dirty = False
        if reopen:
            self.conn.begin()
            self.meta_version, self.permission_version = read_versions(self.conn)

    def rollback(self) -> None:
        self.conn.rollback()
        self.run_after_rollback()
        self.cache.clear()
        self._meta_dirty = False
        self.conn.begin()
        self.meta_version, self.permission_version = read_versions(self.conn)

    def note_write(self) -> None:
        """Called by the engine's write paths, so a failing scope knows it wrote something."""
        self.write_count += 1

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Scope of one document write. If it fails after having written anything, the
        transaction is marked failed (it can then only roll back) — costing no round trips,
        unlike a SAVEPOINT per write. A failure before any write (validation, permission)
        leaves the transaction usable."""
        writes_before = self.write_count
        try:
            yield
        except BaseException as exc:
            if self.write_count != writes_before and self._scope_failures[-1] is None:
                self._scope_failures[-1] = exc
            raise
        if self._meta_dirty:
            # a hook announced a customisation before its own row was written or deleted;
            # drop whatever meta was rebuilt from the old rows in between
            self.site.meta_cache.invalidate()

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Writes inside may fail one by one: leaving the block with an error (raised or
        swallowed) rolls back only what the block wrote."""
        nested = self.conn.begin_nested()
        self._scope_failures.append(None)
        try:
            yield
        except BaseException:
            self._scope_failures.pop()
            nested.rollback()
            raise
        failure = self._scope_failures.pop()
        if failure is not None:
            nested.rollback()
            raise TransactionFailedError(
                f"savepoint dibatalkan karena penyimpanan gagal: {failure}"
            ) from failure
        nested.commit()

    def run_after_rollback(self) -> None:
        self._scope_failures = [None]
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

    def permissions_changed(self) -> None:
        """Call inside the transaction that changed roles, user permissions or shares; every
        process drops its cached rights on its next request."""
        self.permission_version = bump_permission_version(self.conn)
        self.cache.clear()
        self.cache["_permissions_dirty"] = True

    def meta_changed(self) -> None:
        """Call inside the transaction that changed customisation; all processes will reload."""
        self.meta_version = bump_meta_version(self.conn)
        self.site.meta_cache.invalidate()
        self._meta_dirty = True
        self.after_rollback(self.site.meta_cache.invalidate)

    def set_user(self, user: str) -> None:
        """Act as another user from now on (the web layer, once the request is authenticated)."""
        self.user = user
        self._roles = None
        dirty = self.cache.get("_permissions_dirty")
        self.cache.clear()
        if dirty:
            self.cache["_permissions_dirty"] = True

    # -- permissions -----------------------------------------------------------------
    @property
    def enforce_permissions(self) -> bool:
        """Whether reads and writes are checked against the user's permissions.

        Administrator and code inside `ignore_permissions()` (or a context opened with the
        flag `ignore_permissions=True`, e.g. migrations) are not checked.
        """
        return (
            self.user != "Administrator"
            and not self.flags.ignore_permissions
            and self._unchecked_depth == 0
        )

    @property
    def reads_are_disclosures(self) -> bool:
        """Whether what this context reads is shown to a person (Administrator included),
        rather than read by engine-internal code — see core.audit."""
        return not self.flags.ignore_permissions and self._unchecked_depth == 0

    @contextmanager
    def ignore_permissions(self) -> Iterator[None]:
        """Run engine-internal work (e.g. a controller updating a related record on the
        user's behalf) without the user's permission checks."""
        self._unchecked_depth += 1
        try:
            yield
        finally:
            self._unchecked_depth -= 1

    def check_permission(self, doctype: str, right: str = "read", doc: Any = None) -> None:
        from .permissions import check_permission

        check_permission(self, doctype, right, doc)

    def has_permission(self, doctype: str, right: str = "read", doc: Any = None) -> bool:
        from .permissions import has_permission

        return has_permission(self, doctype, right, doc)

    # -- roles ---------------------------------------------------------------------
    @property
    def roles(self) -> list[str]:
        if self._roles is None:
            from .permissions.cache import remember
            from .users import get_roles

            self._roles = remember(self, ("roles", self.user), lambda: get_roles(self, self.user))
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

    def insert_many(self, doctype: str, rows: list[dict[str, Any]], **kw: Any) -> list[Any]:
        """Bulk insert with the same validation and hooks; all-or-nothing per chunk."""
        from .document.bulk import insert_many

        return insert_many(self, doctype, rows, **kw)

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
