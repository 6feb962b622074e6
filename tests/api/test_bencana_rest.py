"""Bencana over REST: the distribution workflow as Petugas Bencana and Admin Dinsos (a
preparer never approves their own plan), needs against distribution, the report, Pimpinan
reading only, and a kabupaten-scoped officer."""

from __future__ import annotations

import json
import secrets

import pytest
from api_helpers import make_user

APPLY = "/api/method/frappe.model.workflow.apply_workflow"
TRANSITIONS = "/api/method/frappe.model.workflow.get_transitions"
KVP = "/api/method/layanan_sosial.bencana.api.kebutuhan_vs_penyaluran"
AMBIL = "/api/method/layanan_sosial.bencana.api.ambil_kebutuhan"
RUN = "/api/method/frappe.desk.query_report.run"
REPORT = "Bantuan Bencana terhadap Kebutuhan"
IKM_REPORT = "IKM per Unit dan Layanan"


def _email(role: str) -> str:
    return f"{role}.{secrets.token_hex(3)}@bencana.uji.id"


@pytest.fixture
def world(site):
    """A kejadian in Kota Kupang with two victims' needs, one in Kab. Kupang; users."""
    tag = secrets.token_hex(3)
    with site.begin() as ctx:
        kota = ctx.new_doc(
            "Kejadian Bencana",
            nama_kejadian=f"Banjir Alak {tag}",
            jenis_bencana="Banjir",
            tanggal_kejadian="2026-01-10",
            wilayah="53.71",
        ).insert()
        kab = ctx.new_doc(
            "Kejadian Bencana",
            nama_kejadian=f"Longsor Semau {tag}",
            jenis_bencana="Tanah Longsor",
            tanggal_kejadian="2026-01-12",
            wilayah="53.01",
        ).insert()
        for nama, beras, wilayah in (("Yohanes", 10, "53.71.01.1001"), ("Maria", 6, "53.71.01")):
            ctx.new_doc(
                "Korban Bencana",
                kejadian=kota.name,
                nama=nama,
                nik="5371010507900001" if nama == "Yohanes" else None,
                wilayah=wilayah,
                status_pengungsian="Mengungsi",
                kebutuhan=[
                    {"item": "Beras", "jumlah": beras, "satuan": "kg", "jenis": "Makanan"},
                    {"item": "Selimut", "jumlah": 1, "satuan": "lembar", "jenis": "Sandang"},
                ],
            ).insert()
        ctx.new_doc(
            "Korban Bencana",
            kejadian=kab.name,
            nama="Kornelis",
            kebutuhan=[{"item": "Beras", "jumlah": 7, "satuan": "kg"}],
        ).insert()
    users = {
        "petugas": make_user(site, _email("petugas"), ("Petugas Bencana",)),
        "admin": make_user(site, _email("admin"), ("Admin Dinsos",)),
        "serba": make_user(site, _email("serba"), ("Petugas Bencana", "Admin Dinsos")),
        "pimpinan": make_user(site, _email("pimpinan"), ("Pimpinan",)),
    }
    kota_user = _email("kota")
    users["kota"] = make_user(site, kota_user, ("Petugas Bencana",))
    with site.begin() as ctx:
        ctx.new_doc("User Permission", user=kota_user, allow="Wilayah", for_value="53.71").insert()
    headers = {k: {"Authorization": v["token"]} for k, v in users.items()}
    yield {"kota": kota.name, "kab": kab.name, "h": headers}
    with site.begin() as ctx:
        for name in (kota.name, kab.name):
            for dt in ("Penyaluran Bantuan", "Korban Bencana"):
                for doc in ctx.get_all(dt, filters={"kejadian": name}, pluck="name"):
                    d = ctx.get_doc(dt, doc)
                    if d.docstatus == 1:
                        d.cancel()
                    ctx.delete_doc(dt, doc)
            ctx.delete_doc("Kejadian Bencana", name)


def _act(http, headers, name, action):
    ref = json.dumps({"doctype": "Penyaluran Bantuan", "name": name})
    return http.post(APPLY, json={"doc": ref, "action": action}, headers=headers)


def _plan(http, headers, kejadian, items):
    return http.post(
        "/api/resource/Penyaluran Bantuan",
        json={"kejadian": kejadian, "posko": "Posko Alak", "items": items},
        headers=headers,
    )


def test_distribution_workflow_end_to_end(http, world):
    h, kota = world["h"], world["kota"]
    proposed = http.get(AMBIL, params={"kejadian": kota}, headers=h["petugas"])
    assert proposed.status_code == 200, proposed.text
    assert [(r["item"], r["jumlah_kebutuhan"]) for r in proposed.json()["message"]] == [
        ("Beras", 16.0),
        ("Selimut", 2.0),
    ]
    items = [dict(r, jumlah_disalurkan=r["jumlah_kebutuhan"]) for r in proposed.json()["message"]]
    items[0]["jumlah_disalurkan"] = 12
    created = _plan(http, h["petugas"], kota, items)
    assert created.status_code == 200, created.text
    plan = created.json()["data"]
    assert plan["workflow_state"] == "Rencana" and plan["wilayah"] == "53.71"
    assert [r["jumlah_kebutuhan"] for r in plan["items"]] == [16.0, 2.0]
    name = plan["name"]

    # beyond the remaining need without a reason: refused with the field named
    over = _plan(
        http, h["petugas"], kota, [{"item": "Beras", "satuan": "kg", "jumlah_disalurkan": 5}]
    )
    assert over.status_code == 417
    assert "sisa kebutuhan 4" in over.text and over.json()["_field_errors"][0]["field"] == "items"

    # the preparer's role cannot approve; the approver sees the action
    ref = json.dumps({"doctype": "Penyaluran Bantuan", "name": name})
    mine = http.post(TRANSITIONS, json={"doc": ref}, headers=h["petugas"]).json()["message"]
    assert mine == []
    theirs = http.post(TRANSITIONS, json={"doc": ref}, headers=h["admin"]).json()["message"]
    assert [t["action"] for t in theirs] == ["Setujui", "Tolak"]
    denied = _act(http, h["petugas"], name, "Setujui")
    assert denied.status_code == 417 and denied.json()["exc_type"] == "WorkflowPermissionError"

    # a user holding both roles cannot approve the plan they prepared themselves
    own = _plan(
        http, h["serba"], kota, [{"item": "Selimut", "satuan": "lembar", "jumlah_disalurkan": 0}]
    )
    assert own.status_code == 200, own.text
    self_approval = _act(http, h["serba"], own.json()["data"]["name"], "Setujui")
    assert self_approval.status_code == 417
    assert "Pembuat dokumen" in self_approval.json()["exc_type"] + self_approval.text
    # ... but may approve the other officer's plan
    approved = _act(http, h["serba"], name, "Setujui")
    assert approved.status_code == 200, approved.text
    assert approved.json()["message"]["workflow_state"] == "Disetujui"

    handed = _act(http, h["petugas"], name, "Salurkan")
    assert handed.json()["message"]["workflow_state"] == "Disalurkan"
    # in Disalurkan only Admin Dinsos may change the figures
    edit = http.put(
        f"/api/resource/Penyaluran Bantuan/{name}", json={"catatan": "ubah"}, headers=h["petugas"]
    )
    assert edit.status_code == 417
    assert _act(http, h["petugas"], name, "Verifikasi").status_code == 417
    verified = _act(http, h["admin"], name, "Verifikasi")
    assert verified.status_code == 200, verified.text
    assert verified.json()["message"]["workflow_state"] == "Diverifikasi"
    assert verified.json()["message"]["docstatus"] == 1

    figures = http.get(KVP, params={"kejadian": kota}, headers=h["pimpinan"])
    assert figures.status_code == 200, figures.text
    assert [
        (r["item"], r["kebutuhan"], r["disalurkan"], r["selisih"], r["persen"])
        for r in figures.json()["message"]
    ] == [("Beras", 16.0, 12.0, 4.0, 75.0), ("Selimut", 2.0, 2.0, 0.0, 100.0)]

    report = http.get(
        RUN,
        params={"report_name": REPORT, "filters": json.dumps({"kejadian": kota})},
        headers=h["pimpinan"],
    )
    assert report.status_code == 200, report.text
    message = report.json()["message"]
    assert [(r["item"], r["persen"]) for r in message["result"]] == [
        ("Beras", 75.0),
        ("Selimut", 100.0),
    ]
    assert message["chart"]["data"]["datasets"][1] == {"name": "Disalurkan", "values": [12.0, 2.0]}

    # Pimpinan reads but never writes
    assert (
        http.get(f"/api/resource/Penyaluran Bantuan/{name}", headers=h["pimpinan"]).status_code
        == 200
    )
    assert _plan(http, h["pimpinan"], kota, items).status_code == 403


def test_kabupaten_officer_sees_only_their_region(http, world):
    h, kota, kab = world["h"], world["kota"], world["kab"]
    listed = http.get(
        "/api/resource/Kejadian Bencana",
        params={
            "filters": json.dumps([["name", "in", [kota, kab]]]),
            "fields": '["name","jumlah_korban","jumlah_mengungsi"]',
        },
        headers=h["kota"],
    )
    assert listed.status_code == 200
    assert listed.json()["data"] == [{"name": kota, "jumlah_korban": 2, "jumlah_mengungsi": 2}]
    assert http.get(f"/api/resource/Kejadian Bencana/{kab}", headers=h["kota"]).status_code == 403
    out = http.get(KVP, params={"kejadian": kab}, headers=h["kota"])
    assert out.status_code == 403
    assert "Kornelis" not in out.text
    # a victim cannot be filed under the other kabupaten's kejadian
    refused = http.post(
        "/api/resource/Korban Bencana", json={"kejadian": kab, "nama": "X"}, headers=h["kota"]
    )
    assert refused.status_code == 417 and refused.json()["exc_type"] == "LinkValidationError"
    report = http.get(RUN, params={"report_name": REPORT}, headers=h["kota"])
    assert report.status_code == 200, report.text
    shown = {r["kejadian"] for r in report.json()["message"]["result"]}
    assert kota in shown and kab not in shown


def test_ikm_report_over_rest(http, site, admin_auth):
    unit = f"Unit REST {secrets.token_hex(3)}"
    answers = [
        [4, 4, 3, 3, 4, 3, 4, 2, 3],
        [3, 4, 4, 2, 3, 3, 4, 3, 3],
        [4, 3, 3, 3, 4, 4, 4, 3, 2],
    ]
    with site.begin() as ctx:
        for values in answers:
            ctx.new_doc(
                "Survei Kepuasan",
                unit=unit,
                layanan="Pengaduan",
                **{f"u{i}": v for i, v in enumerate(values, 1)},
            ).insert()
    pimpinan = {"Authorization": make_user(site, _email("pim"), ("Pimpinan",))["token"]}
    front = {"Authorization": make_user(site, _email("fo"), ("Front Office",))["token"]}
    try:
        res = http.post(
            RUN, json={"report_name": IKM_REPORT, "filters": {"unit": unit}}, headers=pimpinan
        )
        assert res.status_code == 200, res.text
        rows = res.json()["message"]["result"]
        assert [
            (r["unit"], r["layanan"], r["jumlah_responden"], r["ikm"], r["mutu"]) for r in rows
        ] == [(unit, "Pengaduan", 3, 82.41, "B")]
        assert http.get(RUN, params={"report_name": IKM_REPORT}, headers=front).status_code == 403
    finally:
        with site.begin() as ctx:
            for name in ctx.get_all("Survei Kepuasan", filters={"unit": unit}, pluck="name"):
                ctx.delete_doc("Survei Kepuasan", name)


def test_nik_of_victims_hidden_from_pimpinan(http, site, world):
    h = world["h"]
    fields = json.dumps(["nama", "nik"])
    filters = json.dumps({"kejadian": world["kota"], "nama": "Yohanes"})
    seen = http.get(
        "/api/resource/Korban Bencana",
        params={"fields": fields, "filters": filters},
        headers=h["petugas"],
    )
    assert seen.json()["data"] == [{"nama": "Yohanes", "nik": "5371010507900001"}]
    hidden = http.get(
        "/api/resource/Korban Bencana",
        params={"fields": fields, "filters": filters},
        headers=h["pimpinan"],
    )
    assert hidden.status_code == 200
    assert hidden.json()["data"] == [{"nama": "Yohanes"}]
