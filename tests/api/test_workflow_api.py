"""apply_workflow and get_transitions over REST, as Frappe's clients call them."""

from __future__ import annotations

import json

import pytest
from sitekit import backends, drop_site, make_site
from starlette.applications import Starlette
from starlette.testclient import TestClient
from workflow_setup import setup_workflow as _setup

from layanan_sosial.core.api.routes import api_routes
from layanan_sosial.core.users import generate_keys


@pytest.fixture(params=backends())
def wf_client(request, sites_root, monkeypatch):
    site = make_site(sites_root, request.param)
    _setup(site)
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(site.root))
    keys = {}
    with site.begin() as ctx:
        for user in ("petugas.alur@uji.id", "supervisor.alur@uji.id"):
            key, secret = generate_keys(ctx, user)
            keys[user] = {"Authorization": f"token {key}:{secret}"}
    with TestClient(Starlette(routes=api_routes()), base_url=f"http://{site.name}") as client:
        yield client, keys
    drop_site(site)


def test_workflow_over_rest(wf_client):
    client, keys = wf_client
    petugas, supervisor = keys["petugas.alur@uji.id"], keys["supervisor.alur@uji.id"]
    doc = client.post(
        "/api/resource/Uji Alur", json={"judul": "Aduan", "nilai": 12}, headers=petugas
    ).json()["data"]
    assert doc["workflow_state"] == "Baru"
    ref = json.dumps({"doctype": "Uji Alur", "name": doc["name"]})
    options = client.post(
        "/api/method/frappe.model.workflow.get_transitions", json={"doc": ref}, headers=petugas
    )
    assert [t["action"] for t in options.json()["message"]] == ["Verifikasi"]
    moved = client.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        json={"doc": ref, "action": "Verifikasi"},
        headers=petugas,
    )
    assert moved.status_code == 200 and moved.json()["message"]["workflow_state"] == "Diverifikasi"
    denied = client.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        json={"doc": ref, "action": "Setujui"},
        headers=petugas,
    )
    assert denied.status_code == 417 and denied.json()["exc_type"] == "WorkflowPermissionError"
    bogus = client.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        json={"doc": ref, "action": "Terbang"},
        headers=supervisor,
    )
    assert bogus.json()["exc_type"] == "WorkflowTransitionError"
    edit = client.put(f"/api/resource/Uji Alur/{doc['name']}", json={"nilai": 99}, headers=petugas)
    assert edit.status_code == 417  # the state's edit role, enforced on the server
    done = client.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        json={"doc": ref, "action": "Setujui"},
        headers=supervisor,
    )
    assert done.json()["message"]["docstatus"] == 1
