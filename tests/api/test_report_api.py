"""Reports over REST (frappe.desk.query_report.*): a standard Script Report from the test
app synced by migrate, runtime Query Reports and Report Builder reports, permissions and
scope per user, export. Every request commits, so data uses unique names per test."""

from __future__ import annotations

import csv
import io
import json
import secrets

import pytest
from api_helpers import make_user

RUN = "/api/method/frappe.desk.query_report.run"
SCRIPT = "/api/method/frappe.desk.query_report.get_script"
EXPORT = "/api/method/frappe.desk.query_report.export_query"
STANDARD = "Uji Daftar Warga"
REGIONS = (("53", None), ("53.71", "53"), ("53.71.01", "53.71"), ("53.10", "53"))


def _token() -> str:
    return secrets.token_hex(4)


@pytest.fixture
def warga(site):
    """Four residents named with a unique prefix: two in Kota Kupang's subtree (53.71),
    one in 53.10, one without region."""
    prefix = f"W{_token()}"
    with site.begin() as ctx:
        for kode, induk in REGIONS:
            if not ctx.exists("Uji Wilayah", kode):
                ctx.new_doc("Uji Wilayah", kode=kode, nama=f"Wilayah {kode}", induk=induk).insert()
        for i, wilayah in enumerate(("53.71", "53.71.01", "53.10", None)):
            ctx.new_doc("Uji Warga", nama=f"{prefix}-{i}", wilayah=wilayah).insert()
    return prefix


def _user(site, roles, **perm):
    email = f"lap.{_token()}@uji.id"
    auth = make_user(site, email, roles)
    if perm:
        with site.begin() as ctx:
            ctx.new_doc("User Permission", user=email, **perm).insert()
    return {"Authorization": auth["token"]}


def _names(body):
    return sorted(r["nama"] for r in body["message"]["result"] if "nama" in r)


# -- standard Script Report ------------------------------------------------------------


def test_standard_report_synced_and_run_by_permitted_user(http, site, warga):
    petugas = _user(site, ("Uji Petugas",))
    filters = json.dumps({"awalan": warga})
    res = http.get(RUN, params={"report_name": STANDARD, "filters": filters}, headers=petugas)
    assert res.status_code == 200, res.text
    msg = res.json()["message"]
    assert _names(res.json()) == [f"{warga}-{i}" for i in range(4)]
    # string column form "Nama:Data:200" and "Wilayah:Link/Uji Wilayah:120" → dicts
    by_name = {c["fieldname"]: c for c in msg["columns"]}
    assert by_name["nama"] == {
        "fieldname": "nama",
        "label": "Nama",
        "fieldtype": "Data",
        "width": 200,
    }
    assert by_name["wilayah"]["fieldtype"] == "Link"
    assert by_name["wilayah"]["options"] == "Uji Wilayah"
    # total row last (add_total_row in the JSON file), message and chart from execute
    assert msg["add_total_row"] == 1
    assert msg["result"][-1] == {"name": "Total", "jumlah": 4}
    assert msg["message"] == "4 warga"
    assert msg["chart"]["type"] == "bar"
    assert sum(msg["chart"]["data"]["datasets"][0]["values"]) == 4


def test_post_with_filters_as_object(http, site, warga):
    petugas = _user(site, ("Uji Petugas",))
    res = http.post(
        RUN,
        json={"report_name": STANDARD, "filters": {"awalan": warga, "wilayah": "53.71"}},
        headers=petugas,
    )
    assert res.status_code == 200, res.text
    assert _names(res.json()) == [f"{warga}-0", f"{warga}-1"]


def test_user_without_report_role_is_refused(http, site, warga):
    supervisor = _user(site, ("Uji Supervisor",))  # may read Uji Warga, not in the report roles
    res = http.get(RUN, params={"report_name": STANDARD}, headers=supervisor)
    assert res.status_code == 403
    body = res.json()
    assert body["exc_type"] == "PermissionError"
    assert warga not in res.text
    assert http.get(SCRIPT, params={"report_name": STANDARD}, headers=supervisor).status_code == 403


def test_user_permission_scopes_the_rows(http, site, warga):
    scoped = _user(site, ("Uji Petugas",), allow="Uji Wilayah", for_value="53.71")
    res = http.get(
        RUN,
        params={"report_name": STANDARD, "filters": json.dumps({"awalan": warga})},
        headers=scoped,
    )
    assert res.status_code == 200, res.text
    # 53.71 and its child 53.71.01; the resident without region stays visible (not strict)
    assert _names(res.json()) == [f"{warga}-0", f"{warga}-1", f"{warga}-3"]


def test_unknown_report_is_404_and_bad_filters_417(http, site):
    petugas = _user(site, ("Uji Petugas",))
    res = http.get(RUN, params={"report_name": "Tidak Ada"}, headers=petugas)
    assert res.status_code == 404
    assert res.json()["exc_type"] == "DoesNotExistError"
    res = http.get(RUN, params={"report_name": STANDARD, "filters": "{bukan json"}, headers=petugas)
    assert res.status_code == 417
    assert "Filter laporan bukan JSON" in res.json()["_error_message"]
    res = http.get(
        RUN, params={"report_name": STANDARD, "filters": '{"batas": "abc"}'}, headers=petugas
    )
    assert res.status_code == 417
    assert res.json()["_error_message"] == "Filter Batas Baris: 'abc' bukan angka yang sah"
    res = http.get(RUN, params={"report_name": STANDARD, "filters": "[1, 2]"}, headers=petugas)
    assert res.status_code == 417
    assert "harus berupa objek JSON" in res.json()["_error_message"]


def test_get_script_returns_filter_definitions(http, site):
    petugas = _user(site, ("Uji Petugas",))
    res = http.get(SCRIPT, params={"report_name": STANDARD}, headers=petugas)
    assert res.status_code == 200, res.text
    msg = res.json()["message"]
    assert msg["report_type"] == "Script Report"
    assert msg["ref_doctype"] == "Uji Warga"
    assert [f["fieldname"] for f in msg["filters"]] == ["wilayah", "awalan", "batas"]


# -- runtime Query Report --------------------------------------------------------------


def _create_report(http, headers, **values):
    return http.post("/api/resource/Report", json=values, headers=headers)


def _create_query_report(http, headers, query, **values):
    """A Query Report on Uji Warga with a fresh name (`values` may name it)."""
    values = {"report_name": f"Q {_token()}", **values}
    return _create_report(
        http, headers, ref_doctype="Uji Warga", report_type="Query Report", query=query, **values
    )


QUERY = (
    "select nama as `Nama:Data:180`, wilayah as `Wilayah:Link/Uji Wilayah:120` "
    "from `tabUji Warga` where nama like %(awalan)s order by nama"
)


def test_query_report_by_system_manager(http, site, warga):
    manager = _user(site, ("System Manager",))
    name = f"Q {_token()}"
    res = _create_query_report(
        http,
        manager,
        QUERY,
        report_name=name,
        roles=[{"role": "Uji Petugas"}],
        filters=[{"fieldname": "awalan", "label": "Awalan", "fieldtype": "Data", "reqd": 1}],
    )
    assert res.status_code == 200, res.text
    assert res.json()["data"]["is_standard"] == "No"
    petugas = _user(site, ("Uji Petugas",))
    res = http.get(
        RUN,
        params={"report_name": name, "filters": json.dumps({"awalan": f"{warga}%"})},
        headers=petugas,
    )
    assert res.status_code == 200, res.text
    msg = res.json()["message"]
    assert [c["fieldname"] for c in msg["columns"]] == ["nama", "wilayah"]
    assert msg["columns"][0]["width"] == 180
    assert _names(res.json()) == [f"{warga}-{i}" for i in range(4)]
    # the raw SQL sees everything; User Permissions still scope the Link column
    scoped = _user(site, ("Uji Petugas",), allow="Uji Wilayah", for_value="53.10")
    res = http.get(
        RUN,
        params={"report_name": name, "filters": json.dumps({"awalan": f"{warga}%"})},
        headers=scoped,
    )
    assert _names(res.json()) == [f"{warga}-2", f"{warga}-3"]
    # a required filter left out
    res = http.get(RUN, params={"report_name": name}, headers=petugas)
    assert res.status_code == 417
    assert res.json()["_error_message"] == "Filter wajib diisi: Awalan"


def test_injection_in_a_filter_changes_nothing(http, site, warga):
    manager = _user(site, ("System Manager",))
    name = f"Q {_token()}"
    res = _create_query_report(http, manager, QUERY, report_name=name)
    assert res.status_code == 200, res.text
    for hostile in (
        "x' or '1'='1",
        "%' or 1=1 -- ",
        "'; delete from `tabUji Warga`; --",
        "%(awalan)s",
    ):
        res = http.get(
            RUN,
            params={"report_name": name, "filters": json.dumps({"awalan": hostile})},
            headers=manager,
        )
        assert res.status_code == 200, res.text
        assert res.json()["message"]["result"] == []
    with site.begin() as ctx:
        assert ctx.get_count("Uji Warga", [["nama", "like", f"{warga}%"]]) == 4


def test_only_system_manager_creates_query_reports(http, site):
    petugas = _user(site, ("Uji Petugas",))
    res = _create_query_report(http, petugas, "select name from `tabUji Warga`")
    assert res.status_code == 403
    assert res.json()["exc_type"] == "PermissionError"


@pytest.mark.parametrize(
    "query",
    [
        "delete from `tabUji Warga`",
        "update `tabUji Warga` set nama = 'x'",
        "select 1; drop table `tabUji Warga`",
        "select name from `tabUji Warga` /* komentar */",
        "select * from __Auth",
        "select name from `tabUji Warga` for update",
        "select name into outfile '/tmp/x' from `tabUji Warga`",
        "with x as (select 1) delete from `tabUji Warga`",
    ],
)
def test_sql_other_than_one_select_is_refused(http, site, query):
    manager = _user(site, ("System Manager",))
    res = _create_query_report(http, manager, query)
    assert res.status_code == 417, res.text
    assert res.json()["exc_type"] == "ValidationError"
    assert "Query laporan" in res.json()["_error_message"]


# -- Report Builder --------------------------------------------------------------------


def test_report_builder_runs_through_the_permission_checked_query(http, site, warga):
    manager = _user(site, ("System Manager",))
    name = f"RB {_token()}"
    settings = {
        "fields": [["nama", "Uji Warga"], ["wilayah", "Uji Warga"]],
        "filters": [["Uji Warga", "nama", "like", f"{warga}%"]],
        "order_by": "nama asc",
    }
    res = _create_report(
        http,
        manager,
        report_name=name,
        ref_doctype="Uji Warga",
        report_type="Report Builder",
        json=json.dumps(settings),
    )
    assert res.status_code == 200, res.text
    scoped = _user(site, ("Uji Petugas",), allow="Uji Wilayah", for_value="53.71")
    res = http.get(RUN, params={"report_name": name}, headers=scoped)
    assert res.status_code == 200, res.text
    msg = res.json()["message"]
    assert [(c["fieldname"], c["label"], c["fieldtype"]) for c in msg["columns"]] == [
        ("nama", "Nama", "Data"),
        ("wilayah", "Wilayah", "Link"),
    ]
    assert _names(res.json()) == [f"{warga}-0", f"{warga}-1", f"{warga}-3"]
    # run filters on fields of ref_doctype narrow it further
    res = http.get(
        RUN, params={"report_name": name, "filters": '{"wilayah": "53.71.01"}'}, headers=scoped
    )
    assert _names(res.json()) == [f"{warga}-1"]
    res = http.get(RUN, params={"report_name": name, "filters": '{"tidak_ada": 1}'}, headers=scoped)
    assert res.status_code == 417


def test_disabled_report_is_refused(http, site):
    manager = _user(site, ("System Manager",))
    name = f"RB {_token()}"
    res = _create_report(
        http,
        manager,
        report_name=name,
        ref_doctype="Uji Warga",
        report_type="Report Builder",
        json='{"fields": ["name"]}',
        disabled=1,
    )
    assert res.status_code == 200, res.text
    res = http.get(RUN, params={"report_name": name}, headers=manager)
    assert res.status_code == 417
    assert res.json()["_error_message"] == f"Laporan {name} dinonaktifkan"


# -- export ----------------------------------------------------------------------------


def test_export_csv(http, site, warga):
    manager = _user(site, ("System Manager",))  # System Manager has export on Uji Warga
    res = http.get(
        EXPORT,
        params={
            "report_name": STANDARD,
            "file_format_type": "CSV",
            "filters": json.dumps({"awalan": warga, "wilayah": "53.71"}),
        },
        headers=manager,
    )
    assert res.status_code == 200, res.text
    assert res.headers["content-type"].startswith("text/csv")
    assert "attachment" in res.headers["content-disposition"]
    assert "Uji%20Daftar%20Warga.csv" in res.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(res.content.decode("utf-8-sig"))))
    assert rows[0] == ["ID", "Nama", "Wilayah", "Jumlah"]
    assert [r[1:] for r in rows[1:]] == [
        [f"{warga}-0", "53.71", "1"],
        [f"{warga}-1", "53.71.01", "1"],
        ["", "", "2"],
    ]
    assert rows[-1][0] == "Total"


def test_export_needs_the_export_right(http, site, warga):
    petugas = _user(site, ("Uji Petugas",))  # may run the report, has no export right
    res = http.get(EXPORT, params={"report_name": STANDARD}, headers=petugas)
    assert res.status_code == 403
    assert res.json()["exc_type"] == "PermissionError"


def test_excel_export_says_when_it_is_unavailable(http, site):
    from layanan_sosial.core.report.export import xlsx_available

    manager = _user(site, ("System Manager",))
    res = http.get(
        EXPORT, params={"report_name": STANDARD, "file_format_type": "Excel"}, headers=manager
    )
    if xlsx_available():
        assert res.status_code == 200
        assert res.content[:2] == b"PK"  # a zip container
    else:
        assert res.status_code == 417
        assert (
            res.json()["_error_message"] == "Ekspor Excel tidak tersedia di server ini; gunakan CSV"
        )


def test_v2_envelope_and_reading_report_records(http, site, warga):
    petugas = _user(site, ("Uji Petugas",))
    res = http.post(
        "/api/v2/method/frappe.desk.query_report.run",
        json={"report_name": STANDARD, "filters": {"awalan": warga}},
        headers=petugas,
    )
    assert res.status_code == 200, res.text
    assert len(res.json()["data"]["result"]) == 5  # 4 residents + total row
    # every desk user may read Report records (to list what they can run), not change them
    res = http.get(f"/api/resource/Report/{STANDARD}", headers=petugas)
    assert res.status_code == 200
    assert res.json()["data"]["ref_doctype"] == "Uji Warga"
    res = http.put(f"/api/resource/Report/{STANDARD}", json={"disabled": 1}, headers=petugas)
    assert res.status_code == 403
