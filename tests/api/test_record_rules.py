"""Record rules declared in an app's hooks.py (Frappe's `permission_query_conditions` and
`has_permission`), over REST on both databases: the test app `layanan_test_events` hides
every Uji Hook titled "RAHASIA…" from everyone but Administrator — in lists, counts,
single reads, writes and creates, and whatever is shared — and lets one titled "ARSIP…"
be read but not changed (a document rule is asked per right)."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from api_helpers import make_user
from permission_world import assert_learns_nothing
from sitekit import TEST_APPS, backends, drop_site, make_site
from starlette.applications import Starlette
from starlette.testclient import TestClient

from layanan_sosial.core.api.routes import api_routes
from layanan_sosial.core.exceptions import MetaError
from layanan_sosial.core.permissions.record_rules import rules_for
from layanan_sosial.core.site import Site

HOOK = "Uji Hook"
MANAGER, PLAIN = "rr.manajer@uji.id", "rr.tanpa@uji.id"


@dataclass
class Rules:
    site: Site
    client: TestClient
    headers: dict[str, dict[str, str]]
    names: dict[str, str]

    def get(self, user: str, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, headers=self.headers[user], params=params)


@pytest.fixture(scope="module", params=backends())
def rules(request: pytest.FixtureRequest, sites_root) -> Iterator[Rules]:
    site = make_site(sites_root, request.param, apps=[*TEST_APPS, "layanan_test_events"])
    headers = {
        "manajer": {"Authorization": make_user(site, MANAGER, ("System Manager",))["token"]},
        "tanpa": {"Authorization": make_user(site, PLAIN)["token"]},
    }
    names = {}
    with site.begin() as ctx:  # as Administrator; the app's validate hook shouts the title
        for key, judul in (("rahasia", "rahasia satu"), ("biasa", "biasa"), ("kosong", None)):
            names[key] = str(ctx.new_doc(HOOK, judul=judul).insert().name)
        for key in ("rahasia", "biasa"):  # shares add documents back, never past a rule
            ctx.new_doc(
                "DocShare", user=PLAIN, share_doctype=HOOK, share_name=names[key], read=1
            ).insert()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAYANAN_SITES_DIR", str(site.root))
        with TestClient(Starlette(routes=api_routes()), base_url=f"http://{site.name}") as client:
            yield Rules(site, client, headers, names)
    drop_site(site)


def _listed(rules: Rules, user: str) -> set[str]:
    response = rules.get(
        user, f"/api/resource/{HOOK}", fields='["name","judul"]', limit_page_length=0
    )
    assert response.status_code == 200, response.text
    return {row["name"] for row in response.json()["data"]}


def test_a_query_rule_from_hooks_narrows_lists_and_counts(rules):
    assert _listed(rules, "manajer") == {rules.names["biasa"], rules.names["kosong"]}
    count = rules.get(
        "manajer", "/api/method/frappe.client.get_count", doctype=HOOK, filters="{}"
    ).json()
    assert count["message"] == 2
    v2 = rules.get("manajer", f"/api/v2/doctype/{HOOK}/count").json()
    assert v2["data"] == 2
    searched = rules.get(
        "manajer",
        f"/api/resource/{HOOK}",
        filters=json.dumps([["judul", "like", "%RAHASIA%"]]),
    ).json()
    assert searched["data"] == []


def test_a_document_rule_from_hooks_refuses_reads_writes_and_creates(rules):
    secret = rules.names["rahasia"]
    one = rules.get("manajer", f"/api/resource/{HOOK}/{secret}")
    assert one.status_code in (403, 404)
    assert_learns_nothing(one, "RAHASIA SATU")
    via_client = rules.get("manajer", "/api/method/frappe.client.get", doctype=HOOK, name=secret)
    assert via_client.status_code in (403, 404)
    assert_learns_nothing(via_client, "RAHASIA SATU")
    edit = rules.client.put(
        f"/api/resource/{HOOK}/{secret}", json={"dihitung": 5}, headers=rules.headers["manajer"]
    )
    assert edit.status_code in (403, 404)
    create = rules.client.post(
        f"/api/resource/{HOOK}", json={"judul": "rahasia baru"}, headers=rules.headers["manajer"]
    )
    assert create.status_code == 403
    normal = rules.get("manajer", f"/api/resource/{HOOK}/{rules.names['biasa']}")
    assert normal.status_code == 200 and normal.json()["data"]["judul"] == "BIASA"
    with rules.site.begin() as ctx:
        assert ctx.get_value(HOOK, secret, "dihitung") == 0  # the refused edit wrote nothing
        assert not ctx.get_all(HOOK, filters={"judul": "RAHASIA BARU"})


def test_a_document_rule_is_asked_per_right_read_allowed_changes_refused(rules):
    """Frappe's `ptype`: the app's rule lets an "ARSIP…" record be read, never changed."""
    with rules.site.begin() as ctx:
        archived = str(ctx.new_doc(HOOK, judul="arsip lama").insert().name)
    try:
        path = f"/api/resource/{HOOK}/{archived}"
        read = rules.get("manajer", path)
        assert read.status_code == 200 and read.json()["data"]["judul"] == "ARSIP LAMA"
        assert archived in _listed(rules, "manajer")
        edit = rules.client.put(path, json={"dihitung": 5}, headers=rules.headers["manajer"])
        assert edit.status_code == 403, edit.text
        gone = rules.client.delete(path, headers=rules.headers["manajer"])
        assert gone.status_code == 403, gone.text
        with rules.site.begin() as ctx:
            assert ctx.get_value(HOOK, archived, "dihitung") == 0
    finally:
        with rules.site.begin() as ctx:
            ctx.delete_doc(HOOK, archived)


def test_shares_add_documents_back_but_never_past_a_rule(rules):
    assert _listed(rules, "tanpa") == {rules.names["biasa"]}
    secret = rules.get("tanpa", f"/api/resource/{HOOK}/{rules.names['rahasia']}")
    assert secret.status_code in (403, 404)
    shared = rules.get("tanpa", f"/api/resource/{HOOK}/{rules.names['biasa']}")
    assert shared.status_code == 200


def test_rules_bind_only_sites_with_the_app_and_never_administrator(rules, sites_root):
    with rules.site.begin() as ctx:  # Administrator
        assert ctx.get_count(HOOK) == 3
    other = make_site(sites_root, "sqlite")  # the app not installed: no rule
    try:
        with other.begin() as ctx:
            ctx.new_doc(HOOK, judul="RAHASIA DI SITUS LAIN").insert()
        make_user(other, MANAGER, ("System Manager",))
        with other.begin(user=MANAGER) as ctx:
            assert ctx.get_count(HOOK) == 1
    finally:
        drop_site(other)


def test_a_hook_naming_a_missing_function_fails_loudly(monkeypatch):
    package = types.ModuleType("rr_broken_app")
    hooks = types.ModuleType("rr_broken_app.hooks")
    hooks.permission_query_conditions = {"Uji Hook": "rr_broken_app.tidak.ada"}
    monkeypatch.setitem(sys.modules, "rr_broken_app", package)
    monkeypatch.setitem(sys.modules, "rr_broken_app.hooks", hooks)
    with pytest.raises(MetaError, match="permission_query_conditions"):
        rules_for(("layanan_sosial", "rr_broken_app"), "Uji Hook")
    assert rules_for(("layanan_sosial",), "Uji Hook") is None  # no rule: nothing to ask
