"""A running second process (a web or job worker) follows Workflow changes made here on
its very next request, without a restart: a new workflow governs its saves at once, and
switching it off frees them again. SQLite and MariaDB."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import backends
from workflow_setup import DT, PETUGAS, SUPERVISOR, polos_workflow, setup_polos

DRIVER = Path(__file__).with_name("workflow_driver.py")
TEST_APP = Path(__file__).parents[1] / "test_app"


class Worker:
    """The second process; every `request` is one transaction over there."""

    def __init__(self, site):
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(TEST_APP), env.get("PYTHONPATH", "")) if p
        )
        env["LAYANAN_SITES_DIR"] = str(site.root)
        self.proc = subprocess.Popen(
            [sys.executable, str(DRIVER), str(site.root), site.name],
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


@pytest.fixture
def worker(fresh_site):
    setup_polos(fresh_site, active_workflow=False)
    w = Worker(fresh_site)
    yield w
    w.close()


@pytest.mark.parametrize("fresh_site", backends(), indirect=True)
def test_a_running_worker_follows_workflow_changes_on_its_next_request(fresh_site, worker):
    # no workflow yet: the worker inserts and edits freely (and caches "no workflow")
    doc = worker.ok("insert", user=PETUGAS, doctype=DT, values={"judul": "Aduan", "nilai": 1})
    assert "workflow_state" not in doc
    worker.ok("update", user=SUPERVISOR, doctype=DT, name=doc["name"], values={"nilai": 2})

    with fresh_site.begin() as ctx:  # here: a new Workflow (adds the state field, back-fills)
        ctx.new_doc("Workflow", polos_workflow()).insert()

    # over there, on the next request: Draf may be edited only by Uji Petugas
    refused = worker.request(
        "update", user=SUPERVISOR, doctype=DT, name=doc["name"], values={"nilai": 3}
    )
    assert refused["error"] == "WorkflowPermissionError", refused
    assert worker.ok("transitions", user=PETUGAS, doctype=DT, name=doc["name"]) == ["Ajukan"]
    fresh = worker.ok("insert", user=PETUGAS, doctype=DT, values={"judul": "Baru"})
    assert fresh["workflow_state"] == "Draf"

    with fresh_site.begin() as ctx:  # switching the workflow off frees the worker's saves
        wf = ctx.get_doc("Workflow", "Alur Polos")
        wf.is_active = 0
        wf.save()
    worker.ok("update", user=SUPERVISOR, doctype=DT, name=doc["name"], values={"nilai": 4})
    assert worker.ok("transitions", user=PETUGAS, doctype=DT, name=doc["name"]) == []
