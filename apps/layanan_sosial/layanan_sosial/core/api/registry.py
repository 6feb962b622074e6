"""The whitelist: which Python functions may be called as `/api/method/<dotted.path>`.

A function opts in with `@whitelist()`; it is then callable under its own dotted path
(`module.function`) and, optionally, under Frappe's path for compatibility
(`@whitelist(path="frappe.client.get_list")`). Whitelisted functions take the request's
Context as first argument `ctx` and keyword arguments by name:

    @whitelist(methods=("POST",))
    def apply_workflow(ctx: Context, doc: dict | str, action: str) -> dict: ...

Registration happens at import; `get_method` imports the module of an unknown dotted path
(only from installed apps) so a whitelisted function needs no central list.
"""

from __future__ import annotations

import importlib
import inspect
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Method:
    fn: Callable[..., Any]
    path: str
    methods: tuple[str, ...]
    allow_guest: bool

    @property
    def parameters(self) -> list[str]:
        params = list(inspect.signature(self.fn).parameters)
        return params[1:] if params and params[0] == "ctx" else params

    @property
    def accepts_any_kwargs(self) -> bool:
        return any(
            p.kind is inspect.Parameter.VAR_KEYWORD
            for p in inspect.signature(self.fn).parameters.values()
        )


_methods: dict[str, Method] = {}
_lock = threading.Lock()


def whitelist(
    path: str | None = None,
    *,
    methods: tuple[str, ...] = ALL_METHODS,
    allow_guest: bool = False,
    aliases: tuple[str, ...] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        own = f"{fn.__module__}.{fn.__qualname__}"
        with _lock:
            for name in {own, *(p for p in (path, *aliases) if p)}:
                _methods[name] = Method(fn, name, tuple(m.upper() for m in methods), allow_guest)
        fn.whitelisted = True  # type: ignore[attr-defined]
        return fn

    return register


def get_method(path: str, apps: tuple[str, ...] = ("layanan_sosial",)) -> Method | None:
    """The whitelisted method for `path`, importing its module on first use (installed apps
    only, so a request can never import arbitrary modules)."""
    method = _methods.get(path)
    if method is not None:
        return method
    module_name, _, _ = path.rpartition(".")
    if not module_name or not any(
        module_name == a or module_name.startswith(a + ".") for a in apps
    ):
        return None
    try:
        importlib.import_module(module_name)
    except ImportError:
        return None
    return _methods.get(path)


def registered() -> dict[str, Method]:
    return dict(_methods)
