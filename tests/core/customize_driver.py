"""A second, long-running process for the live-customisation tests (like a web or job worker).

Usage: python customize_driver.py <sites_root> <site_name>

Reads one JSON command per stdin line; each command is one "request": it opens its own
transaction with `site.begin()`, does one thing and prints one JSON line with the result.
The process keeps its Site (engine and meta cache) for its whole life, as a worker does.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from layanan_sosial.core.site import sites


def handle(ctx: Any, cmd: dict[str, Any]) -> Any:
    op = cmd["op"]
    if op == "meta":
        meta = ctx.get_meta(cmd["doctype"])
        return {
            "fields": [f.fieldname for f in meta.fields],
            "meta_id": id(meta),
            "version": ctx.meta_version,
            "props": {k: meta.get(k) for k in cmd.get("props", [])},
            "field_props": {
                f: ctx.get_meta(cmd["doctype"]).get_field(f).props
                for f in cmd.get("field_props", [])
            },
        }
    if op == "insert":
        doc = ctx.new_doc(cmd["doctype"], cmd["values"]).insert()
        return doc.as_dict(json_ready=True)
    if op == "get":
        return ctx.get_doc(cmd["doctype"], cmd["name"]).as_dict(json_ready=True)
    if op == "exists_doctype":
        return ctx.doctype_exists(cmd["doctype"])
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
            with site.begin() as ctx:
                result = handle(ctx, cmd)
            reply = {"ok": True, "result": result, "pid": os.getpid()}
        except Exception as exc:  # reported to the test, the process lives on
            reply = {"ok": False, "error": type(exc).__name__, "message": str(exc)}
        print(json.dumps(reply, default=str), flush=True)


if __name__ == "__main__":
    main()
