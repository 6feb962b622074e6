"""SPM over REST: hitung_capaian (hand-computed), bad input → 417 with the field named,
the quarterly snapshot through generate_laporan and the workflow (Admin Dinsos submits,
Pimpinan approves, an approved snapshot cannot change), and the Capaian SPM per Kabupaten
report through frappe.desk.query_report.run."""

from __future__ import annotations

import json
import random
import secrets

import pytest
from api_helpers import make_user

HITUNG = "/api/method/layanan_sosial.spm.api.hitung_capaian"
GENERATE = "/api/method/layanan_sosial.spm.api.generate_laporan"
APPLY = "/api/method/frappe.model.workflow.apply_workflow"
RUN = "/api/method/frappe.desk.query_report.run"
KECAMATAN = "53.71.05"  # Kota Raja, Kota Kupang


def _scenario(site) -> int:
    """Year T: target 3 in Kota Raja (P4); two residents served in TW1 with 12/12 and 6/12
    items. A = 2/3 × 100 = 66.666…; B = 18/24 × 100 = 75;
    index = 0.8 × 66.666… + 0.2 × 75 = 53.333… + 15 = 68.333… → 68.33 Tuntas Muda."""
    tahun = random.randint(2030, 2099)
    with site.begin() as ctx:
        while ctx.exists("Target SPM", f"TSPM-{tahun}-P4-{KECAMATAN}"):
            tahun = random.randint(2030, 2099)
        ctx.new_doc(
            "Target SPM", tahun=tahun, wilayah=KECAMATAN, jenis_layanan_spm="P4", jumlah_sasaran=3
        ).insert()
        panti = ctx.new_doc(
            "Panti",
            nama=f"Panti Bina Laras {secrets.token_hex(3)}",
            jenis="Panti Pemerintah (UPTD)",
            wilayah=KECAMATAN,
            jenis_layanan_spm="P4",
            kapasitas=10,
        ).insert()
        for terpenuhi in (12, 6):
            orang = ctx.new_doc(
                "Penerima Manfaat",
                nama_lengkap=f"Warga {secrets.token_hex(3)}",
                jenis_kelamin="Laki-laki",
                wilayah="53.71.05.1003",
            ).insert()
            penghuni = ctx.new_doc(
                "Penghuni Panti",
                penerima_manfaat=orang.name,
                panti=panti.name,
                tanggal_masuk=f"{tahun}-01-02",
            ).insert()
            from layanan_sosial.core.workflow.engine import apply_workflow

            apply_workflow(ctx, penghuni, "Terima")
            ctx.new_doc(
                "Pemberian Layanan",
                penghuni=penghuni.name,
                tahun=tahun,
                bulan=3,
                items=[
                    {"kode_item": f"P4.{i:02d}", "terpenuhi": int(i <= terpenuhi)}
                    for i in range(1, 13)
                ],
            ).insert()
    return tahun


def test_hitung_capaian_over_rest(http, site):
    tahun = _scenario(site)
    pimpinan = {
        "Authorization": make_user(site, f"p.{secrets.token_hex(3)}@spm.uji.id", ("Pimpinan",))[
            "token"
        ]
    }
    got = http.get(
        HITUNG,
        params={"tahun": tahun, "jenis_layanan": "P4", "wilayah": KECAMATAN, "triwulan": 1},
        headers=pimpinan,
    )
    assert got.status_code == 200, got.text
    assert got.json()["message"] == {
        "jumlah_sasaran": 3,
        "jumlah_terlayani": 2,
        "jumlah_item_wajib": 24,
        "jumlah_item_terpenuhi": 18,
        "persen_penerima": 66.67,
        "persen_mutu": 75.0,
        "indeks": 68.33,
        "kategori": "Tuntas Muda",
        "dibatasi": [],
    }
    # the city includes its kecamatan
    kota = http.post(
        HITUNG, json={"tahun": tahun, "jenis_layanan": "P4", "wilayah": "53.71"}, headers=pimpinan
    )
    assert kota.status_code == 200 and kota.json()["message"]["indeks"] == 68.33


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"tahun": "abc"}, "tahun"),
        ({"tahun": ""}, "tahun"),
        ({"triwulan": "7"}, "triwulan"),
        ({"wilayah": "53.99"}, "wilayah"),
        ({"jenis_layanan": "Z1"}, "jenis_layanan"),
    ],
)
def test_bad_input_is_417_with_the_field(http, site, admin_auth, params, field):
    args = {"tahun": 2026, "jenis_layanan": "P4", "wilayah": KECAMATAN, **params}
    res = http.get(HITUNG, params=args, headers=admin_auth)
    assert res.status_code == 417, res.text
    body = res.json()
    assert body["exc_type"] == "ValidationError"
    assert [e["field"] for e in body["_field_errors"]] == [field]
    assert body["_field_errors"][0]["message"]


def test_snapshot_workflow_and_report_over_rest(http, site):
    tahun = _scenario(site)
    admin = {
        "Authorization": make_user(site, f"a.{secrets.token_hex(3)}@spm.uji.id", ("Admin Dinsos",))[
            "token"
        ]
    }
    pimpinan = {
        "Authorization": make_user(site, f"p.{secrets.token_hex(3)}@spm.uji.id", ("Pimpinan",))[
            "token"
        ]
    }
    made = http.post(
        GENERATE, json={"tahun": tahun, "triwulan": 1, "wilayah": KECAMATAN}, headers=admin
    )
    assert made.status_code == 200, made.text
    laporan = made.json()["message"]
    assert laporan["status"] == "Draft"
    assert [(r["jenis_layanan_spm"], r["indeks"], r["kategori"]) for r in laporan["rincian"]] == [
        ("P4", 68.33, "Tuntas Muda")
    ]
    ref = {"doctype": "Laporan Capaian SPM", "name": laporan["name"]}
    early = http.post(APPLY, json={"doc": ref, "action": "Ajukan"}, headers=pimpinan)
    assert early.status_code == 417  # only Admin Dinsos submits a draft
    assert (
        http.post(APPLY, json={"doc": ref, "action": "Ajukan"}, headers=admin).json()["message"][
            "status"
        ]
        == "Diajukan"
    )
    approved = http.post(APPLY, json={"doc": ref, "action": "Setujui"}, headers=pimpinan)
    assert approved.status_code == 200, approved.text
    assert (approved.json()["message"]["status"], approved.json()["message"]["docstatus"]) == (
        "Disetujui",
        1,
    )
    changed = http.put(
        f"/api/resource/Laporan Capaian SPM/{laporan['name']}",
        json={"catatan": "diubah"},
        headers=admin,
    )
    assert changed.status_code == 417
    again = http.post(
        GENERATE, json={"tahun": tahun, "triwulan": 1, "wilayah": KECAMATAN}, headers=admin
    )
    assert again.status_code == 417 and again.json()["_field_errors"][0]["field"] == "triwulan"

    report = http.get(
        RUN,
        params={
            "report_name": "Capaian SPM per Kabupaten",
            "filters": json.dumps({"tahun": tahun, "triwulan": "1", "wilayah": "53.71"}),
        },
        headers=pimpinan,
    )
    assert report.status_code == 200, report.text
    message = report.json()["message"]
    assert [(r["kabupaten"], r["jenis_layanan_spm"], r["indeks"]) for r in message["result"]] == [
        ("53.71", "P4", 68.33)
    ]
    assert message["chart"]["data"]["labels"] == ["Kota Kupang"]
