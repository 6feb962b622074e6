"""A running second process (a web or job worker) follows Workflow changes made here on
its very next request, without a restart: a new workflow governs its saves at once, and
switching it off frees them again. SQLite and MariaDB."""

from __future__ import annotations

from pathlib import Path

import pytest
from process_worker import Worker
from sitekit import backends
from workflow_setup import DT, PETUGAS, SUPERVISOR, polos_workflow, setup_polos

DRIVER = Path(__file__).with_name("workflow_driver.py")


@pytest.fixture
def worker(fresh_site):
    setup_polos(fresh_site, active_workflow=False)
    w = Worker(DRIVER, fresh_site)
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
