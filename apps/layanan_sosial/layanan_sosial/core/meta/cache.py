"""Per-site merged meta: standard JSON + admin-created DocTypes + Custom Fields + Property Setters.

The cache is keyed by the site's meta version (one integer row bumped in the same transaction
as any customisation). A context reads that integer once when it opens; when it differs from
the cached one, the cache is rebuilt lazily, so every process sees a change on its next request.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..exceptions import DoesNotExistError
from .customize import CustomisationRows, apply_customisations, load_customisations
from .implied import add_implied_fields
from .loader import DEFAULT_APPS, DocTypeFiles, doctype_files
from .model import DocField, DocPerm, Meta
from .validate import validate_doctype_dict

if TYPE_CHECKING:
    from ..site import Site

# Engine DocTypes that customisations may never touch (frappe_compat §3).
PROTECTED_DOCTYPES = frozenset(
    {
        "DocType",
        "DocField",
        "DocPerm",
        "Custom Field",
        "Property Setter",
        "Custom DocPerm",
        "User",
        "Role",
        "Has Role",
        "Version",
        "Module Def",
    }
)


@dataclass(frozen=True)
class LinkSource:
    doctype: str
    fieldname: str


class MetaCache:
    def __init__(self, site: Site, apps: tuple[str, ...] = DEFAULT_APPS):
        self.site = site
        self.files = doctype_files(tuple(site.config.get("apps") or apps))
        self._lock = threading.RLock()
        self._version: int | None = None
        self._metas: dict[str, Meta] = {}
        self._custom: CustomisationRows | None = None
        self._links: dict[str, list[LinkSource]] | None = None

    def invalidate(self) -> None:
        with self._lock:
            self._version = None
            self._metas = {}
            self._custom = None
            self._links = None

    def _sync_version(self, conn: sa.Connection, version: int) -> None:
        if self._version != version:
            self._version = version
            self._metas = {}
            self._custom = None
            self._links = None

    def _customisations(self, conn: sa.Connection) -> CustomisationRows:
        if self._custom is None:
            self._custom = load_customisations(conn, self.files)
        return self._custom

    def get(self, conn: sa.Connection, version: int, doctype: str) -> Meta:
        with self._lock:
            self._sync_version(conn, version)
            meta = self._metas.get(doctype)
            if meta is None:
                meta = self._build(conn, doctype)
                self._metas[doctype] = meta
            return meta

    def exists(self, conn: sa.Connection, version: int, doctype: str) -> bool:
        with self._lock:
            self._sync_version(conn, version)
            return self.files.has(doctype) or doctype in self._customisations(conn).doctypes

    def all_names(self, conn: sa.Connection, version: int) -> list[str]:
        with self._lock:
            self._sync_version(conn, version)
            return self.files.names() + sorted(self._customisations(conn).doctypes)

    def link_sources(self, conn: sa.Connection, version: int, doctype: str) -> list[LinkSource]:
        """Every (doctype, Link field) across the site that points at `doctype`."""
        with self._lock:
            self._sync_version(conn, version)
            if self._links is None:
                index: dict[str, list[LinkSource]] = {}
                for name in self.files.names() + sorted(self._customisations(conn).doctypes):
                    meta = self.get(conn, version, name)
                    for df in meta.link_fields:
                        index.setdefault(df.options, []).append(LinkSource(name, df.fieldname))
                self._links = index
            return list(self._links.get(doctype, []))

    def _build(self, conn: sa.Connection, doctype: str) -> Meta:
        return build_meta(self.files, self._customisations(conn), doctype)


def build_meta(files: DocTypeFiles, custom: CustomisationRows | None, doctype: str) -> Meta:
    """Merged meta of one DocType from the standard files and the given customisation rows.

    Used by the cache and, with rows changed in memory, to preview a customisation before it
    is stored. Merged meta that involves database rows is validated like a file, so a broken
    customisation is reported (naming the DocType, field and problem), never half-used.
    """
    # Role permissions may be customised on every DocType (Role Permissions Manager),
    # fields and properties not on the engine's own ones.
    docperms = custom.docperms.get(doctype) if custom is not None else None
    if doctype in PROTECTED_DOCTYPES:
        custom = None
    if files.has(doctype):
        raw = copy.deepcopy(files.raw(doctype))
        source = str(files.sources[doctype].path)
    elif custom is not None and doctype in custom.doctypes:
        raw = copy.deepcopy(custom.doctypes[doctype])
        source = f"database (DocType {doctype})"
    else:
        raise DoesNotExistError(f"DocType {doctype} not found")
    add_implied_fields(raw)
    if custom is not None:
        customised = bool(custom.custom_fields.get(doctype) or custom.property_setters.get(doctype))
        apply_customisations(raw, custom, doctype)
        if customised:
            source += " + customisations"
        if customised or not files.has(doctype):
            validate_doctype_dict(raw, source=source)
    if docperms:
        raw["permissions"] = [dict(p) for p in docperms]
        source += " + Custom DocPerm"
    return meta_from_dict(raw, source)


def meta_from_dict(raw: dict[str, Any], source: str = "") -> Meta:
    fields = [DocField(dict(f)) for f in raw.get("fields", [])]
    perms = [DocPerm(dict(p)) for p in raw.get("permissions", [])]
    props = {k: v for k, v in raw.items() if k not in ("fields", "permissions")}
    return Meta(name=raw["name"], props=props, fields=fields, permissions=perms, source=source)
