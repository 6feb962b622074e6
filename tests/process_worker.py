"""A second, already-running Python process driven line by line (JSON over stdin/stdout):
every `request` is one transaction over there. Used to prove that changes made here are
seen by another process on its very next request, with no restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

TEST_APP = Path(__file__).parent / "test_app"


class Worker:
    """The second process; every `request` is one transaction over there."""

    def __init__(self, driver: Path, site: Any):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(TEST_APP), env.get("PYTHONPATH", "")) if p
        )
        env["LAYANAN_SITES_DIR"] = str(site.root)
        self.proc = subprocess.Popen(
            [sys.executable, str(driver), str(site.root), site.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        hello = self._read()
        assert hello["ready"]
        self.pid = hello["pid"]

    def _read(self) -> dict[str, Any]:
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"worker exited with {self.proc.wait(timeout=10)}")
        return json.loads(line)

    def request(self, op: str, **kw: Any) -> dict[str, Any]:
        self.proc.stdin.write(json.dumps({"op": op, **kw}) + "\n")
        self.proc.stdin.flush()
        reply = self._read()
        if reply.get("ok"):
            assert reply["pid"] == self.pid  # same process all along
        return reply

    def ok(self, op: str, **kw: Any) -> Any:
        reply = self.request(op, **kw)
        assert reply["ok"], reply
        return reply["result"]

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
