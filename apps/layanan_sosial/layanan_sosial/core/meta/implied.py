"""Fields a DocType gets implicitly from its switches (frappe_compat §1.1)."""

from __future__ import annotations

from typing import Any

from .model import scrub


def _has(raw: dict[str, Any], fieldname: str) -> bool:
    return any(f.get("fieldname") == fieldname for f in raw.get("fields", []))


def add_implied_fields(raw: dict[str, Any]) -> None:
    """Add amended_from (submittable) and the nested-set fields (tree) when missing."""
    fields = raw.setdefault("fields", [])
    name = raw["name"]
    if raw.get("is_submittable") and not _has(raw, "amended_from"):
        fields.append(
            {
                "fieldname": "amended_from",
                "label": "Amended From",
                "fieldtype": "Link",
                "options": name,
                "read_only": 1,
                "no_copy": 1,
                "print_hide": 1,
                "search_index": 1,
            }
        )
    if raw.get("is_tree"):
        parent_field = raw.get("nsm_parent_field") or "parent_" + scrub(name)
        raw["nsm_parent_field"] = parent_field
        implied = [
            {
                "fieldname": "lft",
                "label": "Left",
                "fieldtype": "Int",
                "hidden": 1,
                "read_only": 1,
                "no_copy": 1,
                "search_index": 1,
            },
            {
                "fieldname": "rgt",
                "label": "Right",
                "fieldtype": "Int",
                "hidden": 1,
                "read_only": 1,
                "no_copy": 1,
                "search_index": 1,
            },
            {"fieldname": "is_group", "label": "Is Group", "fieldtype": "Check"},
            {
                "fieldname": "old_parent",
                "label": "Old Parent",
                "fieldtype": "Link",
                "options": name,
                "hidden": 1,
                "read_only": 1,
            },
            {
                "fieldname": parent_field,
                "label": "Parent " + name,
                "fieldtype": "Link",
                "options": name,
                "ignore_user_permissions": 1,
                "search_index": 1,
            },
        ]
        for field in implied:
            if not _has(raw, field["fieldname"]):
                fields.append(field)
