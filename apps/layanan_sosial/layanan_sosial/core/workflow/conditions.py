"""Transition conditions: evaluated by the one safe evaluator (core.expressions) over the
document, with the few names and helpers a Frappe condition expects.

Names: `doc`, `user` (the acting user) and `frappe.session.user` (the same, so conditions
written for Frappe keep working). Helpers: `now()`, `now_datetime()`, `today()`,
`get_value(doctype, name, field)` plus the evaluator's defaults (len, int, flt, ...).
A Workflow is checked when saved (`check_condition`), so a condition naming anything
else — `__import__('os')`, `frappe.db.sql(...)` — is refused before it governs anything;
at run time a condition that still fails closes its transition instead of opening it.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Any

from ..expressions import ExpressionError, compile_expression, is_true

if TYPE_CHECKING:
    from ..context import Context
    from ..document.document import Document
    from .model import Transition

NAMES = frozenset({"doc", "user", "frappe", "True", "False", "None"})
HELPERS = frozenset({"now", "now_datetime", "today", "get_value"})
# the evaluator's own defaults (core.expressions._default_helpers)
DEFAULT_HELPERS = frozenset(
    {"len", "int", "float", "str", "abs", "min", "max", "round", "bool", "cint", "flt"}
)


def names(ctx: Context) -> dict[str, Any]:
    return {"user": ctx.user, "frappe": {"session": {"user": ctx.user}}}


def helpers(ctx: Context) -> dict[str, Any]:
    def get_value(doctype: str, name: Any, field: str = "name") -> Any:
        if not ctx.doctype_exists(str(doctype)):
            raise ExpressionError(f"get_value: DocType {doctype!r} tidak ada")
        with ctx.ignore_permissions():
            return ctx.get_value(doctype, name, field)

    return {
        "now": lambda: ctx.now().isoformat(sep=" "),
        "now_datetime": ctx.now,
        "today": lambda: ctx.today().isoformat(),
        "get_value": get_value,
    }


def check_condition(source: str) -> None:
    """Refuse (ExpressionError) a condition that names anything but the allowed names and
    helpers; syntax is checked by the evaluator's own parser."""
    tree = compile_expression(source)
    allowed_calls = HELPERS | DEFAULT_HELPERS
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in allowed_calls:
                shown = ast.unparse(node.func)
                raise ExpressionError(
                    f"fungsi {shown!r} tidak diizinkan; yang boleh: {', '.join(sorted(HELPERS))}"
                    " dan fungsi dasar (len, int, flt, ...)"
                )
            if node.keywords:
                raise ExpressionError("argumen bernama tidak didukung dalam syarat")
        elif isinstance(node, ast.Name) and node.id not in NAMES | allowed_calls:
            raise ExpressionError(
                f"nama {node.id!r} tidak dikenal; gunakan doc.<field>, user, frappe.session.user"
            )


def condition_holds(ctx: Context, transition: Transition, doc: Document) -> bool:
    if not transition.condition:
        return True
    try:
        return is_true(transition.condition, doc, names=names(ctx), helpers=helpers(ctx))
    except (ExpressionError, TypeError):
        return False  # a broken condition never opens a transition
