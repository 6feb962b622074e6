"""Document events beyond the controller: engine subsystems and apps' `doc_events`.

After a controller hook (e.g. `validate`) runs, the same event is sent to:
1. engine listeners registered with `listen(event)` by core subsystems (workflow, audit…),
   for every DocType;
2. each installed app's `hooks.py` `doc_events`, Frappe's shape:
       doc_events = {"Penerima Manfaat": {"validate": "layanan_sosial.registri.nik.validate"},
                     "*": {"on_update": "..."}}
   each handler is called as `fn(doc, event)`.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..exceptions import MetaError

if TYPE_CHECKING:
    from .document import Document

Handler = Callable[["Document", str], Any]

_engine_listeners: dict[str, list[Handler]] = {}
_lock = threading.Lock()


def listen(event: str) -> Callable[[Handler], Handler]:
    """Register an engine-wide listener (at import time of a core subsystem)."""

    def register(fn: Handler) -> Handler:
        with _lock:
            handlers = _engine_listeners.setdefault(event, [])
            if fn not in handlers:
                handlers.append(fn)
        return fn

    return register


def unlisten(event: str, fn: Handler) -> None:
    with _lock:
        handlers = _engine_listeners.get(event, [])
        if fn in handlers:
            handlers.remove(fn)


def _resolve(path: str, where: str) -> Handler:
    module_name, _, attr = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise MetaError(f"{where}: cannot load {path!r} ({exc})") from exc


@lru_cache(maxsize=4096)
def app_handlers(apps: tuple[str, ...], doctype: str, event: str) -> tuple[Handler, ...]:
    from ..jobs.app_hooks import load_hooks

    found: list[Handler] = []
    for app in apps:
        hooks = load_hooks(app)
        table = getattr(hooks, "doc_events", None) or {}
        for key in (doctype, "*"):
            paths = (table.get(key) or {}).get(event) or []
            for path in [paths] if isinstance(paths, str) else paths:
                found.append(_resolve(path, f"{app}.hooks.doc_events[{key!r}][{event!r}]"))
    return tuple(found)


_ENGINE_SUBSYSTEMS = ("layanan_sosial.core.workflow",)
_loaded = False


def _load_engine_subsystems() -> None:
    """Import the core subsystems that listen to documents (once per process)."""
    global _loaded
    if not _loaded:
        for module in _ENGINE_SUBSYSTEMS:
            importlib.import_module(module)
        _loaded = True


def dispatch(doc: Document, event: str) -> None:
    if not _loaded:
        _load_engine_subsystems()
    for handler in _engine_listeners.get(event, ()):
        handler(doc, event)
    for handler in app_handlers(doc.ctx.site.apps, doc.doctype, event):
        handler(doc, event)
