"""core/ must never import a domain module (the engine knows nothing of social services)."""

from __future__ import annotations

import ast
from pathlib import Path

import layanan_sosial

PACKAGE = Path(layanan_sosial.__file__).parent
CORE = PACKAGE / "core"


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                depth = len(path.relative_to(PACKAGE).parts) - node.level
                base = ["layanan_sosial", *path.relative_to(PACKAGE).parts[:depth]]
                names.append(".".join(base + ([node.module] if node.module else [])))
            elif node.module:
                names.append(node.module)
    return names


def test_core_imports_only_core() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "layanan_sosial" and len(parts) > 1 and parts[1] != "core":
                offenders.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offenders == []


def test_boundary_check_catches_a_domain_import(tmp_path: Path) -> None:
    """The checker itself must see relative and absolute imports of a domain module."""
    fake = CORE / "_boundary_probe.py"
    fake.write_text("from ..registri import x\nimport layanan_sosial.slrt.api\n")
    try:
        found = [n for n in _imports(fake) if n.split(".")[1:2] != ["core"]]
        assert "layanan_sosial.registri" in found
        assert "layanan_sosial.slrt.api" in found
    finally:
        fake.unlink()
