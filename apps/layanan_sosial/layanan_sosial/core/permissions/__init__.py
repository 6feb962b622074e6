"""Permissions, enforced inside the engine (frappe_compat §5, with our server-side fixes).

Composition for a right on a DocType, as Frappe does it: role rows at permlevel 0
(`if_owner` limits to own documents) → User Permissions restrict by Link values (tree
descendants included, `applicable_for` honoured) → DocShare adds documents back →
record rules (Frappe's `permission_query_conditions` / `has_permission` hooks, from core
and from apps' hooks.py) narrow the result, shares included.
Field levels (`permlevel`) hide fields on read and make them unwritable.

Who is checked: a Context enforces permissions when `ctx.enforce_permissions` is true
(every user except Administrator, unless code runs inside `ctx.ignore_permissions()`).

Public API:
- rights.role_rights(ctx, doctype) → RoleRights (which rights, owner-only or not)
- check.has_permission(ctx, doctype, right, doc=None) / check.check_permission(...)
- query.list_condition(ctx, doctype, table, right) → SQL condition for lists and counts
- fields.readable_fields / strip_unreadable / reset_unwritable for permlevels
- record_rules.rules_for(apps, doctype) → the DocType's record rules (None: none)
- as_user.context_as(ctx, user) → a probe context to ask what another user may do
"""

from . import cache as _cache  # noqa: F401 - registers the permission-version listeners
from .check import check_permission, has_permission
from .fields import readable_fieldnames, reset_unwritable, strip_unreadable
from .query import list_condition
from .rights import RoleRights, role_rights

__all__ = [
    "RoleRights",
    "check_permission",
    "has_permission",
    "list_condition",
    "readable_fieldnames",
    "reset_unwritable",
    "role_rights",
    "strip_unreadable",
]
