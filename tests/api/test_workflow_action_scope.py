"""Workflow Action rows over REST, on both databases: a row tells that a document exists and
in which state, so it is visible only to a user who holds one of its permitted roles (or
completed it) *and* may read the document — whatever the role "All" reads. Next-approver
emails follow the same rule: a role alone does not reach a document out of the user's
scope. Plus the probe context that asks as another user without disturbing the asker."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from api_helpers import make_user
from mailkit import mail_config
from permission_world import assert_learns_nothing
from sitekit import backends, drop_site, make_site
from starlette.applications import Starlette
from starlette.testclient import TestClient
from workflow_setup import DT, KEPALA, PETUGAS, PETUGAS2, SERBA, SUPERVISOR, setup_polos

from layanan_sosial.core.api.routes import api_routes
from layanan_sosial.core.permissions import has_permission
from layanan_sosial.core.permissions.as_user import context_as
from layanan_sosial.core.site import Site
from layanan_sosial.core.users import generate_keys
from layanan_sosial.core.workflow.engine import apply_workflow

ACTION = "Workflow Action"
TAMU = "tamu.wa@uji.id"  # no role at all (only "All")
SEMPIT = "sempit.wa@uji.id"  # Uji Supervisor, User Permission: document A only
BERBAGI = "berbagi.wa@uji.id"  # like SEMPIT, and document B shared with them
FIELDS = json.dumps(["name", "reference_doctype", "reference_name", "workflow_state", "status"])


@dataclass
class Scope:
    site: Site
    client: TestClient
    headers: dict[str, dict[str, str]]
    docs: dict[str, str]  # "a", "b" → document name
    rows: dict[tuple[str, str], str]  # (document key, state) → Workflow Action name

    def get(self, user: str, path: str, **params: Any) -> httpx.Response:
        return self.client.get(path, headers=self.headers[user], params=params)

    def seen(self, user: str) -> set[tuple[str, str]]:
        """(document key, state) of the rows `user` lists."""
        response = self.get(user, f"/api/resource/{ACTION}", fields=FIELDS, limit_page_length=0)
        assert response.status_code == 200, response.text
        key_of = {name: key for key, name in self.docs.items()}
        found = set()
        for row in response.json()["data"]:
            assert row["reference_name"] in key_of, f"a row of another document: {row}"
            found.add((key_of[row["reference_name"]], row["workflow_state"]))
        return found

    def count(self, user: str) -> int:
        response = self.get(
            user, "/api/method/frappe.client.get_count", doctype=ACTION, filters="{}"
        )
        assert response.status_code == 200, response.text
        return response.json()["message"]


def _user_permission(site: Site, user: str, doc: str) -> None:
    with site.begin() as ctx:
        ctx.new_doc("User Permission", user=user, allow=DT, for_value=doc).insert()


@pytest.fixture(scope="module", params=backends())
def scope(request: pytest.FixtureRequest, sites_root) -> Iterator[Scope]:
    site = make_site(sites_root, request.param)
    setup_polos(site)
    headers = {}
    with site.begin() as ctx:
        for user in (PETUGAS, PETUGAS2, SUPERVISOR, KEPALA):
            key, secret = generate_keys(ctx, user)
            headers[user] = {"Authorization": f"token {key}:{secret}"}
    for user, roles in ((TAMU, ()), (SEMPIT, ("Uji Supervisor",)), (BERBAGI, ("Uji Supervisor",))):
        headers[user] = {"Authorization": make_user(site, user, roles)["token"]}
    docs = {}
    for key in ("a", "b"):
        with site.begin(user=PETUGAS) as ctx:
            docs[key] = str(ctx.new_doc(DT, judul=f"Permohonan {key}", nilai=12).insert().name)
            apply_workflow(ctx, {"doctype": DT, "name": docs[key]}, "Ajukan")
    for user in (SEMPIT, BERBAGI, PETUGAS):  # PETUGAS, who completed both, now sees only A
        _user_permission(site, user, docs["a"])
    rows = {}
    with site.begin() as ctx:
        for row in ctx.get_all(
            ACTION, fields=["name", "reference_name", "workflow_state"], limit_page_length=0
        ):
            key = next(k for k, v in docs.items() if v == row["reference_name"])
            rows[(key, row["workflow_state"])] = row["name"]
        ctx.new_doc(
            "DocShare", user=BERBAGI, share_doctype=DT, share_name=docs["b"], read=1
        ).insert()
        # a share of the row itself: the row still needs its document and a permitted role
        ctx.new_doc(
            "DocShare", user=TAMU, share_doctype=ACTION, share_name=rows[("a", "Ditinjau")], read=1
        ).insert()
    assert sorted(rows) == [("a", "Ditinjau"), ("a", "Draf"), ("b", "Ditinjau"), ("b", "Draf")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAYANAN_SITES_DIR", str(site.root))
        with TestClient(Starlette(routes=api_routes()), base_url=f"http://{site.name}") as client:
            yield Scope(site, client, headers, docs, rows)
    drop_site(site)


def test_a_permitted_role_with_read_sees_the_rows_of_its_role(scope):
    # Ditinjau waits for Supervisor/Kepala; Draf's (completed) row waited for Uji Petugas
    assert scope.seen(SUPERVISOR) == {("a", "Ditinjau"), ("b", "Ditinjau")}
    assert scope.seen(KEPALA) == {("a", "Ditinjau"), ("b", "Ditinjau")}
    assert scope.seen(PETUGAS2) == {("a", "Draf"), ("b", "Draf")}
    assert scope.count(SUPERVISOR) == 2
    one = scope.get(SUPERVISOR, f"/api/resource/{ACTION}/{scope.rows[('b', 'Ditinjau')]}")
    assert one.status_code == 200 and one.json()["data"]["reference_name"] == scope.docs["b"]
    assert [r["role"] for r in one.json()["data"]["permitted_roles"]] == [
        "Uji Kepala",
        "Uji Supervisor",
    ]


def test_a_user_without_a_permitted_role_learns_nothing(scope):
    assert scope.seen(TAMU) == set()  # "All" reads Workflow Action; the rule narrows it
    assert scope.count(TAMU) == 0
    for row in scope.rows.values():
        one = scope.get(TAMU, f"/api/resource/{ACTION}/{row}")
        assert one.status_code in (403, 404)
        assert_learns_nothing(one, scope.docs["a"], scope.docs["b"], "Ditinjau")
    by_filter = scope.get(
        TAMU,
        f"/api/resource/{ACTION}",
        fields=FIELDS,
        filters=json.dumps([["reference_name", "=", scope.docs["a"]]]),
    )
    assert by_filter.json()["data"] == []  # the share of the row does not open it either
    value = scope.get(
        TAMU,
        "/api/method/frappe.client.get_value",
        doctype=ACTION,
        filters=json.dumps({"reference_name": scope.docs["a"]}),
        fieldname="workflow_state",
    )
    assert "Ditinjau" not in value.text


def test_a_user_scoped_by_user_permissions_sees_only_rows_of_documents_in_scope(scope):
    assert scope.seen(SEMPIT) == {("a", "Ditinjau")}
    assert scope.count(SEMPIT) == 1
    v2 = scope.get(SEMPIT, f"/api/v2/doctype/{ACTION}/count").json()
    assert v2["data"] == 1
    outside = scope.get(SEMPIT, f"/api/resource/{ACTION}/{scope.rows[('b', 'Ditinjau')]}")
    assert outside.status_code in (403, 404)
    assert_learns_nothing(outside, scope.docs["b"])
    inside = scope.get(SEMPIT, f"/api/resource/{ACTION}/{scope.rows[('a', 'Ditinjau')]}")
    assert inside.status_code == 200
    # the rows' child table follows its parent row
    roles = scope.get(
        SEMPIT,
        "/api/resource/Workflow Role",
        parent=ACTION,
        fields=json.dumps(["parent", "role"]),
        limit_page_length=0,
    )
    assert roles.status_code == 200, roles.text
    assert {r["parent"] for r in roles.json()["data"]} == {scope.rows[("a", "Ditinjau")]}
    with_children = scope.get(
        SEMPIT, f"/api/resource/{ACTION}", fields=FIELDS, with_child_rows=1
    ).json()["data"]
    assert [len(r["permitted_roles"]) for r in with_children] == [2]


def test_who_completed_a_row_sees_it_only_while_they_may_read_the_document(scope):
    # PETUGAS completed both Draf rows (and holds their role) but is now scoped to A
    assert scope.seen(PETUGAS) == {("a", "Draf")}
    row_b = scope.get(PETUGAS, f"/api/resource/{ACTION}/{scope.rows[('b', 'Draf')]}")
    assert row_b.status_code in (403, 404)


def test_a_shared_document_opens_its_rows_to_a_permitted_role(scope):
    # BERBAGI is scoped to A, but B is shared with them: B's rows are theirs to see too
    assert scope.seen(BERBAGI) == {("a", "Ditinjau"), ("b", "Ditinjau")}
    row_b = scope.get(BERBAGI, f"/api/resource/{ACTION}/{scope.rows[('b', 'Ditinjau')]}")
    assert row_b.status_code == 200


def test_transitions_and_workflow_still_work_for_a_scoped_approver(scope):
    ref = json.dumps({"doctype": DT, "name": scope.docs["a"]})
    options = scope.client.post(
        "/api/method/frappe.model.workflow.get_transitions",
        json={"doc": ref},
        headers=scope.headers[SEMPIT],
    )
    assert options.status_code == 200
    assert [t["action"] for t in options.json()["message"]] == ["Setujui", "Kembalikan"]
    refused = scope.client.post(
        "/api/method/frappe.model.workflow.get_transitions",
        json={"doc": json.dumps({"doctype": DT, "name": scope.docs["b"]})},
        headers=scope.headers[SEMPIT],
    )
    assert refused.status_code in (403, 404)


def test_asking_as_another_user_leaves_the_asking_context_alone(scope):
    with scope.site.begin() as ctx:  # Administrator, inside ignore_permissions
        with ctx.ignore_permissions():
            ctx.cache["penanda"] = 1
            roles_before = list(ctx.roles)
            doc_b = ctx.get_doc(DT, scope.docs["b"])
            probe = context_as(ctx, SEMPIT)
            assert not has_permission(probe, DT, "read", doc_b)
            assert has_permission(context_as(ctx, SUPERVISOR), DT, "read", doc_b)
            assert not has_permission(context_as(ctx, TAMU), ACTION, "read", {"name": "x"})
            assert ctx.user == "Administrator" and not ctx.enforce_permissions
            assert ctx.cache["penanda"] == 1 and ctx.roles == roles_before
            assert probe.conn is ctx.conn and probe.user == SEMPIT
        assert ctx.user == "Administrator" and ctx.cache["penanda"] == 1


# -- next-approver emails ---------------------------------------------------------------


@pytest.mark.parametrize("backend", backends())
def test_an_approver_scoped_away_from_the_document_gets_no_email(backend, sites_root, smtp_server):
    port, received = smtp_server
    site = make_site(sites_root, backend, extra=mail_config(port))
    inside = "dalam.wa@uji.id"  # Uji Supervisor scoped to the very document
    try:
        setup_polos(site, send_email_alert=1)
        make_user(site, inside, ("Uji Supervisor",))
        with site.begin(user=SERBA) as ctx:
            name = ctx.new_doc(DT, judul="Diajukan", nilai=12).insert().name
            other = ctx.new_doc(DT, judul="Lain", nilai=12).insert().name
        _user_permission(site, SUPERVISOR, other)  # the role, but not this document
        _user_permission(site, inside, name)
        received.clear()
        with site.begin(user=SERBA) as ctx:
            moved = apply_workflow(ctx, {"doctype": DT, "name": name}, "Ajukan")
            assert ctx.user == SERBA and moved.workflow_state == "Ditinjau"
            ctx.get_doc(DT, name)  # the acting user still reads as themselves
        by_user = {rcpt[0]: message.get_content() for rcpt, message in received}
        assert sorted(by_user) == [inside, KEPALA]  # not SUPERVISOR, nor SERBA who acted
        assert "Setujui, Kembalikan" in by_user[inside]
    finally:
        drop_site(site)
