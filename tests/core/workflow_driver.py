"""A second, long-running process for the workflow tests (like a web or job worker).

Usage: python workflow_driver.py <sites_root> <site_name>

One JSON command per stdin line, each one "request" in its own transaction as the given
user; one JSON line back. The process keeps its Site (engine, meta and workflow caches)
for its whole life, so a workflow saved elsewhere must reach it through the meta version.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from layanan_sosial.core.site import sites
from layanan_sosial.core.workflow.engine import get_transitions


def handle(ctx: Any, cmd: dict[str, Any]) -> Any:
    op = cmd["op"]
    if op == "insert":
        return ctx.new_doc(cmd["doctype"], cmd["values"]).insert().as_dict(json_ready=True)
    if op == "update":
        doc = ctx.get_doc(cmd["doctype"], cmd["name"])
        doc.update(cmd["values"])
        return doc.save().as_dict(json_ready=True)
    if op == "transitions":
        doc = ctx.get_doc(cmd["doctype"], cmd["name"])
        return [t["action"] for t in get_transitions(ctx, doc)]
    raise ValueError(f"unknown op {op!r}")


def main() -> None:
    root, name = Path(sys.argv[1]), sys.argv[2]
    site = sites.get(name, root)
    print(json.dumps({"ready": True, "pid": os.getpid()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        try:
            with site.begin(user=cmd.get("user", "Administrator")) as ctx:
                result = handle(ctx, cmd)
            reply = {"ok": True, "result": result, "pid": os.getpid()}
        except Exception as exc:  # reported to the test, the process lives on
            reply = {"ok": False, "error": type(exc).__name__, "message": str(exc)}
        print(json.dumps(reply, default=str), flush=True)


if __name__ == "__main__":
    main()
