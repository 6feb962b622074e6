"""Field levels (permlevel) over REST: fields above a user's level never appear in any answer
(GET one, lists with `["*"]` or explicit fields, PUT/PATCH answers, v2, frappe.client.*,
child-table reads and filters, error messages) and cannot be changed or probed through
filters or sorting. Same world as test_permission_matrix.py (permission_world.py)."""

from __future__ import annotations

import json

import httpx
import pytest
from permission_world import (
    BARIS_RAHASIA,
    CATATAN,
    NIK,
    READ_LEVELS,
    WARGA,
    World,
    assert_learns_nothing,
    assert_no_secrets,
)

# -- permlevels: hidden everywhere -----------------------------------------------------

# each user's readable fixed resident
OWN_VIEW = {
    "manajer": "kota",
    "petugas": "kota",
    "supervisor": "kota",
    "pemantau": "kota",
    "pemilik": "milik",
    "wilayah": "kota",
    "berbagi": "kab",
}
DEV_CHILD_LIST = "get_list/get_value on the child DocType return rows of a level-2 table"
DEV_CHILD_FILTER = "a filter on the child DocType also matches rows of a level-2 table"
DEV_ALL_HIDDEN = "a field list made only of hidden fields is a 500 (empty SELECT)"


def _reads(world: World, user: str) -> dict[str, httpx.Response]:
    """Every way of reading one resident, as `user`."""
    name = world.warga[OWN_VIEW[user]]
    by_name = json.dumps([["name", "=", name]])
    star = json.dumps(["*"])
    explicit = json.dumps(["name", "nama", "nik", "catatan_rahasia", "baris_rahasia.item as bi"])
    get = lambda path, **params: world.request(user, "GET", path, params=params)  # noqa: E731
    resource, v2 = f"/api/resource/{WARGA}", f"/api/v2/document/{WARGA}"
    method = "/api/method/frappe.client."
    return {
        "v1 get": get(f"{resource}/{name}"),
        "v1 list *": get(resource, fields=star, filters=by_name),
        "v1 list explicit": get(resource, fields=explicit, filters=by_name),
        "v1 list child rows": get(resource, fields='["name"]', filters=by_name, with_child_rows=1),
        "v2 get": get(f"{v2}/{name}"),
        "v2 list *": get(v2, fields=star, filters=by_name),
        "client.get": get(method + "get", doctype=WARGA, name=name),
        "client.get_list *": get(method + "get_list", doctype=WARGA, fields=star, filters=by_name),
        "client.get_value": get(
            method + "get_value",
            doctype=WARGA,
            fieldname='["name", "nama", "nik", "catatan_rahasia"]',
            filters=name,
        ),
    }


@pytest.mark.parametrize("user", OWN_VIEW)
def test_permlevel_fields_never_reach_a_reader_without_the_level(world: World, user: str) -> None:
    for how, response in _reads(world, user).items():
        assert response.status_code == 200, (how, response.text)
        assert_no_secrets(user, response)
    levels = READ_LEVELS[user]
    got = _reads(world, user)["v1 get"].json()["data"]
    assert ("nik" in got) is (1 in levels)
    assert ("catatan_rahasia" in got) is (2 in levels)
    assert ("baris_rahasia" in got) is (2 in levels)


@pytest.mark.parametrize(
    "user",
    OWN_VIEW,
)  # fmt: skip
def test_level_zero_fields_reach_every_reader(world: World, user: str) -> None:
    key = OWN_VIEW[user]
    got = world.request(user, "GET", f"/api/resource/{WARGA}/{world.warga[key]}").json()["data"]
    assert got["nama"] == f"Tetap {key}"
    assert [row["item"] for row in got["baris"]] == ["baris-biasa"]


@pytest.mark.parametrize("user", ["manajer", "petugas", "supervisor", "pemilik", "wilayah"])
def test_writes_answer_without_hidden_fields_and_cannot_change_them(
    world: World, user: str
) -> None:
    key = OWN_VIEW[user]
    name = world.warga[key]
    attempt = {"nama": f"Tetap {key}", "nik": "0000000000000000", "catatan_rahasia": "ditimpa"}
    for method, path in (
        ("PUT", f"/api/resource/{WARGA}/{name}"),
        ("PATCH", f"/api/v2/document/{WARGA}/{name}"),
    ):
        response = world.request(user, method, path, json=attempt)
        assert response.status_code == 200, response.text
        assert_no_secrets(user, response)
        for fieldname in ("nik", "catatan_rahasia"):
            assert fieldname not in response.json()["data"] or user == "supervisor"
    with world.site.begin() as ctx:
        stored = ctx.get_doc(WARGA, name)
        writes_level_1 = user == "supervisor"
        assert stored.nik == ("0000000000000000" if writes_level_1 else NIK)
        assert stored.catatan_rahasia == CATATAN  # nobody here writes level 2
        stored.nik = NIK
        stored.save()


@pytest.mark.parametrize("user", ["manajer", "petugas", "pemilik", "wilayah", "pemantau"])
def test_hidden_fields_cannot_be_probed_through_filters_or_sorting(world: World, user: str) -> None:
    """Filtering, sorting or grouping on a field one may not read would reveal its value
    bit by bit: refused with 403 (stricter than Frappe), and the answer carries no value."""
    hidden = "catatan_rahasia"
    probes = {
        "filter": {"filters": json.dumps([[hidden, "=", CATATAN]])},
        "or filter": {"or_filters": json.dumps([[hidden, "like", "catatan%"]])},
        "dict filter": {"filters": json.dumps({hidden: CATATAN})},
        "order": {"order_by": f"{hidden} desc"},
        "group": {"fields": '["count(name) as n"]', "group_by": hidden},
        "aggregate": {"fields": f'["max({hidden}) as m"]'},
    }
    for how, params in probes.items():
        response = world.request(user, "GET", f"/api/resource/{WARGA}", params=params)
        assert response.status_code == 403, (how, response.text)
        assert_learns_nothing(response, CATATAN)
    count = world.request(
        user,
        "GET",
        "/api/method/frappe.client.get_count",
        params={"doctype": WARGA, "filters": json.dumps({hidden: CATATAN})},
    )
    assert count.status_code == 403 and CATATAN not in count.text


@pytest.mark.parametrize("user", ["petugas", "pemantau"])
def test_child_doctype_reads_skip_hidden_tables(world: World, user: str) -> None:
    for path, params in (
        (
            "/api/method/frappe.client.get_list",
            {"doctype": "Uji Baris", "parent": WARGA, "fields": '["item", "parentfield"]'},
        ),
        (
            "/api/method/frappe.client.get_value",
            {"doctype": "Uji Baris", "parent": WARGA, "fieldname": "item",
             "filters": '{"parentfield": "baris_rahasia"}'},
        ),
    ):  # fmt: skip
        response = world.request(user, "GET", path, params=params)
        assert response.status_code in (200, 403), response.text
        assert BARIS_RAHASIA not in response.text


def test_child_doctype_filter_does_not_search_hidden_tables(world: World) -> None:
    filters = json.dumps([["Uji Baris", "item", "=", BARIS_RAHASIA]])
    response = world.request(
        "petugas", "GET", f"/api/resource/{WARGA}", params={"filters": filters}
    )
    assert response.status_code == 403 or response.json()["data"] == [], response.text


def test_a_field_list_of_only_hidden_fields_is_not_a_server_error(world: World) -> None:
    for path, params in (
        (f"/api/resource/{WARGA}", {"fields": '["catatan_rahasia"]'}),
        (f"/api/v2/document/{WARGA}", {"fields": '["nik"]'}),
        (
            "/api/method/frappe.client.get_value",
            {"doctype": WARGA, "fieldname": "catatan_rahasia", "filters": "[]"},
        ),
    ):
        response = world.request("petugas", "GET", path, params=params)
        assert response.status_code in (200, 403), response.text
        assert CATATAN not in response.text and NIK not in response.text
