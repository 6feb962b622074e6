"""Find and load standard DocType JSON files of the installed apps.

An app is a Python package with a `modules.txt` (one module name per line); each module
folder (scrubbed name) holds `doctype/<scrub>/<scrub>.json` and optionally `<scrub>.py`.
The engine's own DocTypes live in the "Core" module, i.e. `<app>/core/doctype/`.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..exceptions import MetaError
from .model import scrub
from .validate import validate_doctype_dict

DEFAULT_APPS = ("layanan_sosial",)


@dataclass(frozen=True)
class DocTypeSource:
    name: str
    app: str
    module: str
    path: Path  # the JSON file

    @property
    def controller_module(self) -> str:
        """Dotted path of the optional controller beside the JSON."""
        folder = self.path.parent
        return f"{self.app}.{scrub(self.module)}.doctype.{folder.name}.{folder.name}"

    @property
    def has_controller(self) -> bool:
        return self.path.with_suffix(".py").exists()


def app_path(app: str) -> Path:
    spec = importlib.util.find_spec(app)
    if spec is None or not spec.submodule_search_locations:
        raise MetaError(f"app {app!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def app_modules(app: str) -> list[str]:
    path = app_path(app) / "modules.txt"
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text("utf-8").splitlines() if line.strip()]


def read_doctype_file(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise MetaError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    if not isinstance(data, dict):
        raise MetaError(f"{path}: a DocType file must hold one JSON object")
    return data


class DocTypeFiles:
    """Index of the standard DocType files of a set of apps; files are read once, validated."""

    def __init__(self, apps: tuple[str, ...] = DEFAULT_APPS):
        self.apps = apps
        self._sources: dict[str, DocTypeSource] | None = None
        self._loaded: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def _scan(self) -> dict[str, DocTypeSource]:
        sources: dict[str, DocTypeSource] = {}
        for app in self.apps:
            root = app_path(app)
            for module in app_modules(app):
                for path in sorted((root / scrub(module) / "doctype").glob("*/*.json")):
                    if path.stem != path.parent.name:
                        continue
                    data = read_doctype_file(path)
                    name = data.get("name")
                    if not name:
                        raise MetaError(f"{path}: DocType has no 'name'")
                    if name in sources:
                        raise MetaError(
                            f"{path}: DocType {name!r} is already defined in {sources[name].path}"
                        )
                    sources[name] = DocTypeSource(name, app, module, path)
                    self._loaded[name] = self._validated(data, path, module)
        return sources

    @staticmethod
    def _validated(data: dict[str, Any], path: Path, module: str) -> dict[str, Any]:
        data.setdefault("module", module)
        validate_doctype_dict(data, source=str(path))
        if scrub(data["name"]) != path.stem:
            raise MetaError(
                f"{path}: file name must be {scrub(data['name'])}.json for DocType {data['name']!r}"
            )
        return data

    @property
    def sources(self) -> dict[str, DocTypeSource]:
        if self._sources is None:
            with self._lock:
                if self._sources is None:
                    self._sources = self._scan()
        return self._sources

    def names(self) -> list[str]:
        return list(self.sources)

    def has(self, name: str) -> bool:
        return name in self.sources

    def raw(self, name: str) -> dict[str, Any]:
        """The validated JSON dict of a standard DocType (callers must copy before changing)."""
        self.sources  # noqa: B018 - ensures the scan ran
        return self._loaded[name]


_files_by_apps: dict[tuple[str, ...], DocTypeFiles] = {}
_files_lock = threading.Lock()


def doctype_files(apps: tuple[str, ...] = DEFAULT_APPS) -> DocTypeFiles:
    """Shared per-process index (standard meta is immutable at run time)."""
    with _files_lock:
        if apps not in _files_by_apps:
            _files_by_apps[apps] = DocTypeFiles(apps)
        return _files_by_apps[apps]
