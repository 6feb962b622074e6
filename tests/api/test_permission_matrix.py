"""Permission matrix over REST (frappe_compat §5): roles × DocTypes × actions × scoped users.

Each table row states the HTTP status Frappe answers. Lists must hold exactly the permitted
names; fields above a user's permlevel never appear in any answer (GET one, lists with
`["*"]` or explicit fields, PUT/PATCH answers, v2, frappe.client.*, error messages); a user
without rights learns nothing beyond the 403/404 itself.

The users, on a fresh site per backend, are described in permission_world.py.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from permission_world import (
    BARIS_RAHASIA,
    CATATAN,
    FIXED,
    NIK,
    PENGAJUAN,
    VALIDASI,
    WARGA,
    WILAYAH,
    World,
    assert_learns_nothing,
    assert_no_secrets,
    email,
    new_warga,
    share,
)

# -- read one --------------------------------------------------------------------------

ALL_FIXED = {"kota": 200, "kab": 200, "kosong": 200, "milik": 200}
NONE_FIXED = {"kota": 403, "kab": 403, "kosong": 403, "milik": 403}
READ_ONE: dict[str, dict[str, int]] = {
    "admin": ALL_FIXED,
    "manajer": ALL_FIXED,
    "petugas": ALL_FIXED,
    "supervisor": ALL_FIXED,
    "pemantau": ALL_FIXED,
    "pemilik": {**NONE_FIXED, "milik": 200},  # only its own
    "wilayah": {"kota": 200, "kab": 403, "kosong": 200, "milik": 403},  # subtree or empty
    "berbagi": {**NONE_FIXED, "kab": 200},  # only what is shared
    "tanpa": NONE_FIXED,
    "guest": NONE_FIXED,
}


@pytest.mark.parametrize("user", READ_ONE)
def test_read_one(world: World, user: str) -> None:
    for key, status in READ_ONE[user].items():
        name = world.warga[key]
        for path in (f"/api/resource/{WARGA}/{name}", f"/api/v2/document/{WARGA}/{name}"):
            response = world.request(user, "GET", path)
            assert response.status_code == status, (user, key, path, response.text)
            assert_no_secrets(user, response)
            if status == 200:
                assert response.json()["data"]["name"] == name
            else:
                assert_learns_nothing(response, f"Tetap {key}", FIXED[key] or "Tetap")
    # a document that does not exist: 404 for everyone, as Frappe loads before it checks
    missing = world.request(user, "GET", f"/api/resource/{WARGA}/tidak-ada")
    assert missing.status_code == 404 and missing.json()["exc_type"] == "DoesNotExistError"


@pytest.mark.parametrize(
    ("user", "status"),
    [("admin", 200), ("manajer", 200), ("petugas", 403), ("pemantau", 403), ("guest", 403)],
)
def test_read_one_of_a_system_manager_doctype(world: World, user: str, status: int) -> None:
    kode = f"PM-{secrets.token_hex(3)}"
    with world.site.begin() as ctx:
        ctx.new_doc(VALIDASI, kode=kode, nama="Hanya manajer").insert()
    response = world.request(user, "GET", f"/api/resource/{VALIDASI}/{kode}")
    assert response.status_code == status, response.text
    if status != 200:
        assert_learns_nothing(response, "Hanya manajer")


# -- lists -----------------------------------------------------------------------------

EVERYONE = {"kota", "kab", "kosong", "milik"}
LIST: dict[str, set[str] | int] = {
    "admin": EVERYONE,
    "manajer": EVERYONE,
    "petugas": EVERYONE,
    "supervisor": EVERYONE,
    "pemantau": EVERYONE,
    "pemilik": {"milik"},
    "wilayah": {"kota", "kosong"},
    "berbagi": {"kab"},
    "tanpa": 403,
    "guest": 403,
}


def _list_answers(world: World, user: str) -> dict[str, httpx.Response]:
    """The fixed residents as listed four ways (documents other tests make are left out
    by name, on a column every reader may filter on)."""
    fixed_only = json.dumps([["name", "in", sorted(world.warga.values())]])
    query = {"fields": json.dumps(["name"]), "filters": fixed_only}
    return {
        "v1": world.request(
            user, "GET", f"/api/resource/{WARGA}", params={**query, "limit_page_length": 0}
        ),
        "v2": world.request(
            user, "GET", f"/api/v2/document/{WARGA}", params={**query, "limit": 50}
        ),
        "get_list": world.request(
            user,
            "GET",
            "/api/method/frappe.client.get_list",
            params={**query, "doctype": WARGA, "limit_page_length": 0},
        ),
        "get_count": world.request(
            user,
            "GET",
            "/api/method/frappe.client.get_count",
            params={"doctype": WARGA, "filters": fixed_only},
        ),
    }


@pytest.mark.parametrize("user", LIST)
def test_list_holds_exactly_the_permitted_names(world: World, user: str) -> None:
    expected = LIST[user]
    for how, response in _list_answers(world, user).items():
        if isinstance(expected, int):
            assert response.status_code == expected, (how, response.text)
            assert_learns_nothing(response, "Tetap")
            continue
        assert response.status_code == 200, (how, response.text)
        body = response.json()
        payload = body.get("data", body.get("message"))
        if how == "get_count":
            assert payload == len(expected), how
            continue
        assert sorted(row["name"] for row in payload) == sorted(world.warga[k] for k in expected)


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("manajer", {"53", "53.71", "53.71.01", "53.10"}),
        ("tanpa", {"53", "53.71", "53.71.01", "53.10"}),  # role All may read regions
        ("wilayah", {"53.71", "53.71.01"}),  # its User Permission: 53.71 and descendants
        ("guest", 403),
    ],
)
def test_list_of_a_tree_restricted_by_user_permission(
    world: World, user: str, expected: set[str] | int
) -> None:
    response = world.request(
        user,
        "GET",
        f"/api/resource/{WILAYAH}",
        params={"filters": json.dumps([["kode", "like", "53%"]]), "limit_page_length": 0},
    )
    if isinstance(expected, int):
        assert response.status_code == expected
        return
    assert response.status_code == 200, response.text
    assert {row["name"] for row in response.json()["data"]} == expected


# -- actions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """`user` does `action` on a fresh document of `doctype` described by `target`."""

    user: str
    doctype: str
    action: str  # create, update, delete, submit, cancel
    target: str  # a region key (kota/kab), own, shared-<rights>, or any
    status: int

    @property
    def id(self) -> str:
        return f"{self.user}-{self.doctype.split()[-1].lower()}-{self.action}-{self.target}"


W = WARGA
DEV_SHARE_SUBMIT = "a share with submit but without write lets the user submit"
DEV_SHARED_FIELDS = "a user with access only through a DocShare may not read or write level 0"
ACTIONS = [
    # Uji Warga: role rights
    *(Case(u, W, "create", "kota", 200) for u in ("admin", "manajer", "petugas", "pemilik")),
    *(Case(u, W, "create", "kota", 403) for u in ("supervisor", "pemantau", "tanpa", "guest")),
    *(Case(u, W, "update", "kota", 200) for u in ("admin", "manajer", "petugas", "supervisor")),
    *(Case(u, W, "update", "kota", 403) for u in ("pemantau", "pemilik", "tanpa", "guest")),
    *(Case(u, W, "delete", "kota", 202) for u in ("admin", "manajer", "petugas")),
    *(Case(u, W, "delete", "kota", 403) for u in ("supervisor", "pemantau", "tanpa", "guest")),
    *(Case(u, W, "submit", "kota", 200) for u in ("admin", "petugas")),
    *(Case(u, W, "submit", "kota", 403) for u in ("manajer", "supervisor", "pemantau", "tanpa")),
    Case("guest", W, "submit", "kota", 403),
    *(Case(u, W, "cancel", "kota", 200) for u in ("admin", "supervisor")),
    *(Case(u, W, "cancel", "kota", 403) for u in ("manajer", "petugas", "pemantau", "tanpa")),
    Case("guest", W, "cancel", "kota", 403),
    # if_owner: own documents only, and only the owner-rows' rights
    Case("pemilik", W, "update", "own", 200),
    Case("pemilik", W, "delete", "own", 403),
    Case("pemilik", W, "submit", "own", 403),
    Case("pemilik", W, "delete", "kota", 403),
    # User Permission on the region tree
    Case("wilayah", W, "create", "kota", 200),
    # Deliberately not Frappe's 403: a region outside the user's scope answers like a
    # region that does not exist (417 "not found"), so its existence is not revealed.
    Case("wilayah", W, "create", "kab", 417),
    Case("wilayah", W, "update", "kota", 200),
    Case("wilayah", W, "update", "kab", 403),
    Case("wilayah", W, "delete", "kota", 202),
    Case("wilayah", W, "delete", "kab", 403),
    Case("wilayah", W, "submit", "kota", 200),
    Case("wilayah", W, "submit", "kab", 403),
    Case("wilayah", W, "cancel", "kota", 403),
    # DocShare: read, write, submit as shared
    Case("berbagi", W, "create", "kab", 403),
    Case("berbagi", W, "update", "shared-read", 403),
    Case("berbagi", W, "update", "shared-write", 200),
    Case("berbagi", W, "delete", "shared-write", 403),
    Case("berbagi", W, "submit", "shared-read", 403),
    Case("berbagi", W, "submit", "shared-write-submit", 200),
    Case("berbagi", W, "submit", "shared-submit", 403),
    Case("berbagi", W, "update", "kab", 403),  # not shared with it
    # System Manager-only DocTypes
    *(Case(u, VALIDASI, a, "any", s) for u in ("admin", "manajer") for a, s in
      (("create", 200), ("update", 200), ("delete", 202))),
    *(Case(u, VALIDASI, a, "any", 403) for u in ("petugas", "supervisor", "tanpa", "guest")
      for a in ("create", "update", "delete")),
    *(Case("manajer", PENGAJUAN, a, "any", 200) for a in ("submit", "cancel")),
    *(Case(u, PENGAJUAN, a, "any", 403) for u in ("petugas", "supervisor", "guest")
      for a in ("create", "submit", "cancel")),
    # role All reads regions; only System Manager changes them
    *(Case("manajer", WILAYAH, a, "any", s) for a, s in
      (("create", 200), ("update", 200), ("delete", 202))),
    *(Case(u, WILAYAH, a, "any", 403) for u in ("petugas", "wilayah", "tanpa")
      for a in ("create", "update", "delete")),
]  # fmt: skip


def _param(case: Case) -> Any:
    return pytest.param(case, id=case.id)


TITLE_FIELD = {WARGA: "nama", VALIDASI: "nama", PENGAJUAN: "judul", WILAYAH: "nama"}


def _new_body(case: Case, marker: str) -> dict[str, Any]:
    body: dict[str, Any] = {TITLE_FIELD[case.doctype]: marker}
    if case.doctype == WARGA:
        body["wilayah"] = FIXED.get(case.target, "53.71.01")
    if case.doctype in (VALIDASI, WILAYAH):
        body["kode"] = f"UB-{secrets.token_hex(4)}"  # a root region, outside every subtree
    return body


def _fresh(world: World, case: Case, marker: str) -> str:
    """The document the action is tried on, made as Administrator (as the user for `own`)."""
    if case.doctype == WARGA:
        owner = email(case.user) if case.target == "own" else "Administrator"
        region = FIXED.get(case.target, "53.10")  # shared documents lie outside 53.71
        name = new_warga(world.site, marker, region, owner)
        if case.target.startswith("shared-"):
            rights = case.target.removeprefix("shared-").split("-")
            share(world.site, name, read=1, **{r: 1 for r in rights if r != "read"})
    else:
        with world.site.begin() as ctx:
            name = str(ctx.new_doc(case.doctype, _new_body(case, marker)).insert().name)
    if case.action == "cancel":
        with world.site.begin() as ctx:
            ctx.get_doc(case.doctype, name).submit()
    return name


def _perform(world: World, case: Case, name: str, marker: str) -> httpx.Response:
    resource = f"/api/resource/{case.doctype}/{name}"
    if case.action == "update":
        body = {TITLE_FIELD[case.doctype]: f"{marker} diubah"}
        return world.request(case.user, "PUT", resource, json=body)
    if case.action == "delete":
        return world.request(case.user, "DELETE", resource)
    if case.action == "submit":
        doc = {"doc": {"doctype": case.doctype, "name": name}}
        return world.request(case.user, "POST", "/api/method/frappe.client.submit", json=doc)
    cancel = {"doctype": case.doctype, "name": name}
    return world.request(case.user, "POST", "/api/method/frappe.client.cancel", json=cancel)


def _stored(world: World, doctype: str, name: str) -> dict[str, Any] | None:
    with world.site.begin() as ctx:
        if not ctx.exists(doctype, name):
            return None
        return ctx.get_value(doctype, name, [TITLE_FIELD[doctype], "docstatus"], as_dict=True)


def _check_effect(world: World, case: Case, name: str, marker: str, done: bool) -> None:
    stored = _stored(world, case.doctype, name)
    title = TITLE_FIELD[case.doctype]
    if case.action == "delete":
        assert (stored is None) is done
    elif case.action == "update":
        assert stored is not None and (stored[title] == f"{marker} diubah") is done
    elif case.action == "submit":
        assert stored is not None and stored["docstatus"] == (1 if done else 0)
    else:
        assert stored is not None and stored["docstatus"] == (2 if done else 1)


def _check_create(world: World, case: Case, response: httpx.Response, marker: str) -> None:
    title = TITLE_FIELD[case.doctype]
    with world.site.begin() as ctx:
        rows = ctx.get_all(case.doctype, filters={title: marker}, fields=["name", "owner"])
    if response.status_code == 200:
        owner = "Administrator" if case.user == "admin" else email(case.user)
        assert [dict(r) for r in rows] == [
            {"name": response.json()["data"]["name"], "owner": owner}
        ]
    else:
        assert rows == []


@pytest.mark.parametrize("case", [_param(c) for c in ACTIONS])
def test_action(world: World, case: Case) -> None:
    marker = f"Ubah {secrets.token_hex(4)}"
    if case.action == "create":
        path = f"/api/resource/{case.doctype}"
        response = world.request(case.user, "POST", path, json=_new_body(case, marker))
        assert response.status_code == case.status, response.text
        _check_create(world, case, response, marker)
    else:
        name = _fresh(world, case, marker)
        response = _perform(world, case, name, marker)
        assert response.status_code == case.status, response.text
        _check_effect(world, case, name, marker, done=case.status in (200, 202))
    if case.status >= 400:
        assert_learns_nothing(response, NIK, CATATAN, BARIS_RAHASIA)
    elif case.doctype == WARGA:
        assert_no_secrets(case.user, response)
