"""Record-level rules: the counterpart of Frappe's `permission_query_conditions` and
`has_permission` hooks. A rule narrows, per DocType, what role rights, User Permissions,
owner rules and shares already allow; it never widens it.

A DocType may have two kinds of rule (any number of each; all must hold):
- a query rule `fn(ctx, table) -> SQLAlchemy condition | None` for lists, counts, link
  search and reports (`table` may be an alias: use `table.c.<column>`; None = no limit);
- a document rule `fn(ctx, values, right) -> bool` for one document (`values`: its field
  values, child tables as lists of rows; an unsaved document too; `right`: "read",
  "write", "delete", ... — Frappe's `ptype`, so a rule may let a record be read but not
  changed). Only a true answer allows — a rule that forgets to return denies, so a
  mistake hides records rather than leaking.
Both run as the context's user and are skipped when permissions are not enforced
(Administrator, `ctx.ignore_permissions()`). They apply to every right, like Frappe's.

Where rules come from:
- core's own, named below by dotted path (core never imports a domain module, and the
  path keeps this module free of import cycles with the subsystems that own the rules);
- each installed app's `hooks.py`, in Frappe's shape (a dotted path or a list of them):
      permission_query_conditions = {"Kasus": "my_app.kasus.akses.kondisi_daftar"}
      has_permission = {"Kasus": "my_app.kasus.akses.boleh_baca"}
  (Frappe's functions take (user, doctype) / (doc, ptype, user) and return SQL text; ours
  take the Context (whose user is asking) and return SQLAlchemy expressions, so no SQL
  text is ever spliced.)

Looked up once per (apps, DocType) and process: a DocType without rules costs one cached
lookup and no query.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..exceptions import MetaError

if TYPE_CHECKING:
    import sqlalchemy as sa

    from ..context import Context

QueryRule = Callable[["Context", Any], "sa.ColumnElement[bool] | None"]
DocRule = Callable[["Context", dict[str, Any], str], bool]

QUERY_HOOK = "permission_query_conditions"
DOC_HOOK = "has_permission"

# core's own rules, in the hooks' shape
CORE_RULES: dict[str, dict[str, str]] = {
    QUERY_HOOK: {"Workflow Action": "layanan_sosial.core.workflow.actions.visible_condition"},
    DOC_HOOK: {"Workflow Action": "layanan_sosial.core.workflow.actions.may_see"},
}


@dataclass(frozen=True)
class RecordRules:
    query: tuple[QueryRule, ...]
    doc: tuple[DocRule, ...]


def _resolve(path: Any, where: str) -> Callable[..., Any]:
    if not isinstance(path, str) or "." not in path:
        raise MetaError(f"{where}: {path!r} is not a dotted path to a function")
    module_name, _, attr = path.rpartition(".")
    try:
        fn = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise MetaError(f"{where}: cannot load {path!r} ({exc})") from exc
    if not callable(fn):
        raise MetaError(f"{where}: {path!r} is not callable")
    return fn


def _paths(table: Any, doctype: str, where: str) -> list[str]:
    if not table:
        return []
    if not isinstance(table, dict):
        raise MetaError(f"{where} must map DocType names to dotted paths")
    value = table.get(doctype) or []
    return [value] if isinstance(value, str) else list(value)


def _declared(source: Any, hook: str, doctype: str, where: str) -> list[Callable[..., Any]]:
    table = source.get(hook) if isinstance(source, dict) else getattr(source, hook, None)
    found = []
    for path in _paths(table, doctype, f"{where}.{hook}"):
        found.append(_resolve(path, f"{where}.{hook}[{doctype!r}]"))
    return found


@lru_cache(maxsize=4096)
def rules_for(apps: tuple[str, ...], doctype: str) -> RecordRules | None:
    """The rules of `doctype` on a site with `apps` installed (None when it has none)."""
    from ..jobs.app_hooks import load_hooks

    sources: list[tuple[Any, str]] = [(CORE_RULES, "core")]
    sources += [(load_hooks(app), f"{app}.hooks") for app in apps]
    query: list[QueryRule] = []
    doc: list[DocRule] = []
    for source, where in sources:
        if source is None:
            continue
        query += _declared(source, QUERY_HOOK, doctype, where)
        doc += _declared(source, DOC_HOOK, doctype, where)
    if not query and not doc:
        return None
    return RecordRules(tuple(query), tuple(doc))


def query_conditions(ctx: Context, doctype: str, table: Any) -> list[sa.ColumnElement[bool]]:
    """The query rules' conditions on `table` (rows of `doctype`); [] when none limit it."""
    rules = rules_for(ctx.site.apps, doctype)
    if rules is None:
        return []
    conditions = []
    for rule in rules.query:
        condition = rule(ctx, table)
        if condition is not None:
            conditions.append(condition)
    return conditions


def document_passes(ctx: Context, doctype: str, values: dict[str, Any], right: str) -> bool:
    """Whether every document rule of `doctype` allows `right` on this document."""
    rules = rules_for(ctx.site.apps, doctype)
    if rules is None:
        return True
    return all(bool(rule(ctx, values, right)) for rule in rules.doc)
