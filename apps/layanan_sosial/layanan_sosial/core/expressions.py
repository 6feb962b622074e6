"""One safe evaluator for rule expressions (depends_on, mandatory_depends_on, workflow
conditions): a small subset of Python over the document, parsed with `ast`, never `eval`.

Accepted: literals, names `doc` (the document, attribute or item access), comparisons,
and/or/not, arithmetic, `in`, conditional expressions, lists/tuples/dicts, and a few
helper functions. Frappe's browser-side JS forms (`eval:doc.x === 'A' && !doc.y`) are
translated first. Size is bounded; there are no loops, so evaluation time is bounded too.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from .exceptions import ValidationError

MAX_EXPRESSION_LENGTH = 2000

_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
    ast.FloorDiv: operator.floordiv,
}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}


class ExpressionError(ValidationError):
    pass


def _js_to_python(source: str) -> str:
    text = source.strip()
    if text.startswith("eval:"):
        text = text[5:].strip()
    text = text.replace("===", "==").replace("!==", "!=")
    text = text.replace("&&", " and ").replace("||", " or ")
    text = re.sub(r"!(?!=)", " not ", text)
    text = re.sub(r"\btrue\b", "True", text)
    text = re.sub(r"\bfalse\b", "False", text)
    text = re.sub(r"\b(null|undefined)\b", "None", text)
    return text.strip()


def _default_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "len": len,
        "int": int,
        "float": float,
        "str": str,
        "abs": abs,
        "min": min,
        "max": max,
        "round": round,
        "bool": bool,
        "today": lambda: dt.date.today().isoformat(),
        "cint": lambda v: int(float(v or 0)),
        "flt": lambda v: float(v or 0),
    }


@lru_cache(maxsize=2048)
def compile_expression(source: str) -> ast.Expression:
    """Parse (and cache) an expression; bare field names mean `doc.<field>` is truthy."""
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError("expression too long")
    text = _js_to_python(source)
    if re.fullmatch(r"[a-z_][a-z0-9_]*", text) and text not in ("True", "False", "None"):
        text = f"doc.{text}"
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"invalid expression {source!r}: {exc.msg}") from exc
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ExpressionError(f"invalid expression {source!r}: private attribute")
    return tree


class _Evaluator:
    def __init__(self, names: Mapping[str, Any], helpers: Mapping[str, Callable[..., Any]]):
        self.names = names
        self.helpers = helpers

    def eval(self, node: ast.AST) -> Any:  # noqa: C901 - one dispatch over the allowed nodes
        if isinstance(node, ast.Expression):
            return self.eval(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in self.names:
                return self.names[node.id]
            if node.id in ("True", "False", "None"):
                return {"True": True, "False": False, "None": None}[node.id]
            raise ExpressionError(f"unknown name {node.id!r}")
        if isinstance(node, ast.Attribute):
            return _get(self.eval(node.value), node.attr)
        if isinstance(node, ast.Subscript):
            return _get(self.eval(node.value), self.eval(node.slice))
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                result: Any = True
                for value in node.values:
                    result = self.eval(value)
                    if not result:
                        return result
                return result
            result = False
            for value in node.values:
                result = self.eval(value)
                if result:
                    return result
            return result
        if isinstance(node, ast.UnaryOp):
            operand = self.eval(node.operand)
            if isinstance(node.op, ast.Not):
                return not operand
            if isinstance(node.op, ast.USub):
                return -operand
            if isinstance(node.op, ast.UAdd):
                return +operand
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](self.eval(node.left), self.eval(node.right))
        if isinstance(node, ast.Compare):
            left = self.eval(node.left)
            for op, comparator in zip(node.ops, node.comparators, strict=True):
                right = self.eval(comparator)
                try:
                    ok = _COMPARE[type(op)](left, right)
                except TypeError:
                    ok = False  # e.g. None < 3: a missing value never satisfies an order test
                if not ok:
                    return False
                left = right
            return True
        if isinstance(node, ast.IfExp):
            return self.eval(node.body) if self.eval(node.test) else self.eval(node.orelse)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return [self.eval(e) for e in node.elts]
        if isinstance(node, ast.Dict):
            return {
                self.eval(k): self.eval(v) for k, v in zip(node.keys, node.values, strict=True) if k
            }
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
            helper = self.helpers.get(node.func.id)
            if helper is None:
                raise ExpressionError(f"function {node.func.id!r} is not allowed")
            return helper(*(self.eval(a) for a in node.args))
        raise ExpressionError(f"{type(node).__name__} is not allowed in expressions")


def _get(obj: Any, key: Any) -> Any:
    if obj is None:
        return None
    if hasattr(obj, "as_dict") and hasattr(obj, "get"):
        return obj.get(key)
    if isinstance(obj, Mapping):
        return obj.get(key)
    if isinstance(obj, list | tuple | str) and isinstance(key, int):
        return obj[key] if -len(obj) <= key < len(obj) else None
    raise ExpressionError(f"cannot read {key!r} here")


def evaluate(
    source: str,
    doc: Any,
    *,
    names: Mapping[str, Any] | None = None,
    helpers: Mapping[str, Callable[..., Any]] | None = None,
) -> Any:
    """Evaluate `source` with `doc` in scope. Raises ExpressionError for disallowed input."""
    tree = compile_expression(source)
    scope = {"doc": doc, **(names or {})}
    return _Evaluator(scope, {**_default_helpers(), **(helpers or {})}).eval(tree)


def is_true(source: str | None, doc: Any, **kw: Any) -> bool:
    """Empty rule → True (no condition)."""
    if not source or not str(source).strip():
        return True
    try:
        return bool(evaluate(str(source), doc, **kw))
    except (ArithmeticError, ValueError) as exc:
        raise ExpressionError(f"expression {source!r} failed: {exc}") from exc
