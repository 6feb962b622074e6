"""Panti over REST: an LKS partner sees only the panti of its Lembaga Mitra and the residents
there. The partner is bound to its Lembaga by a User Permission (as for referrals); saving a
Panti of that Lembaga gives the partner a User Permission on the Panti, and the engine then
scopes every list and read."""

from __future__ import annotations

import json
import secrets

from api_helpers import make_user

PENGHUNI = "/api/resource/Penghuni Panti"


def _setup(site):
    tag = secrets.token_hex(3)
    lks_email = f"lks.{tag}@panti.uji.id"
    lks = make_user(site, lks_email, roles=("Mitra LKS",))
    out = {"lks": {"Authorization": lks["token"]}, "email": lks_email}
    with site.begin() as ctx:
        for key in ("milik", "lain"):
            lembaga = ctx.new_doc("Lembaga Mitra", nama=f"LKS {key} {tag}", jenis="LKS").insert()
            if key == "milik":
                ctx.new_doc(
                    "User Permission", user=lks_email, allow="Lembaga Mitra", for_value=lembaga.name
                ).insert()
            panti = ctx.new_doc(
                "Panti",
                nama=f"Panti {key} {tag}",
                jenis="LKS Swasta",
                lembaga=lembaga.name,
                wilayah="53.71.03",
                jenis_layanan_spm="P2",
                kapasitas=5,
            ).insert()
            orang = ctx.new_doc(
                "Penerima Manfaat",
                nama_lengkap=f"Anak {key.capitalize()} {tag}",
                jenis_kelamin="Perempuan",
                wilayah="53.71.03.1010",
            ).insert()
            penghuni = ctx.new_doc(
                "Penghuni Panti", penerima_manfaat=orang.name, panti=panti.name
            ).insert()
            out[key] = {"panti": panti.name, "penghuni": penghuni.name, "nama": orang.nama_lengkap}
    return out


def test_lks_partner_cannot_read_another_pantis_residents(http, site):
    s = _setup(site)
    listed = http.get(
        PENGHUNI,
        params={"fields": json.dumps(["name", "panti", "nama_penerima"]), "limit_page_length": 0},
        headers=s["lks"],
    )
    assert listed.status_code == 200, listed.text
    rows = listed.json()["data"]
    assert rows == [
        {"name": s["milik"]["penghuni"], "panti": s["milik"]["panti"], "nama_penerima": s["milik"]["nama"]}
    ]  # fmt: skip
    assert s["lain"]["nama"] not in listed.text
    # asking for the other panti by filter finds nothing either
    filtered = http.get(
        PENGHUNI, params={"filters": json.dumps({"panti": s["lain"]["panti"]})}, headers=s["lks"]
    )
    assert filtered.status_code == 200 and filtered.json()["data"] == []

    own = http.get(f"{PENGHUNI}/{s['milik']['penghuni']}", headers=s["lks"])
    assert own.status_code == 200 and own.json()["data"]["nama_penerima"] == s["milik"]["nama"]
    other = http.get(f"{PENGHUNI}/{s['lain']['penghuni']}", headers=s["lks"])
    assert other.status_code in (403, 404)
    assert "data" not in other.json()
    assert s["lain"]["nama"] not in other.text and s["lain"]["panti"] not in other.text

    panti = http.get("/api/resource/Panti", params={"limit_page_length": 0}, headers=s["lks"])
    assert [r["name"] for r in panti.json()["data"]] == [s["milik"]["panti"]]
    assert http.get(f"/api/resource/Panti/{s['lain']['panti']}", headers=s["lks"]).status_code in (
        403,
        404,
    )
    count = http.get(
        "/api/method/frappe.client.get_count",
        params={"doctype": "Penghuni Panti"},
        headers=s["lks"],
    )
    assert count.status_code == 200 and count.json()["message"] == 1


def test_lks_partner_cannot_move_another_pantis_resident(http, site):
    s = _setup(site)
    moved = http.post(
        "/api/method/frappe.model.workflow.apply_workflow",
        json={"doc": {"doctype": "Penghuni Panti", "name": s["lain"]["penghuni"]}, "action": "Terima"},
        headers=s["lks"],
    )  # fmt: skip
    assert moved.status_code in (403, 404)
    assert s["lain"]["nama"] not in moved.text
    with site.begin() as ctx:
        assert ctx.get_value("Penghuni Panti", s["lain"]["penghuni"], "status") == "Pengajuan"


def test_binding_made_after_the_panti_exists(http, site, admin_auth):
    s = _setup(site)
    other_url = f"{PENGHUNI}/{s['lain']['penghuni']}"
    assert http.get(other_url, headers=s["lks"]).status_code in (403, 404)
    with site.begin() as ctx:  # bind the partner to the other Lembaga too, afterwards
        lembaga = ctx.get_value("Panti", s["lain"]["panti"], "lembaga")
        binding = ctx.new_doc(
            "User Permission", user=s["email"], allow="Lembaga Mitra", for_value=lembaga
        ).insert()
    # the binding alone opens that Lembaga's panti at once (hooks.doc_events)...
    assert http.get(other_url, headers=s["lks"]).status_code == 200
    synced = http.post(
        "/api/method/layanan_sosial.panti.api.sinkron_akses_pengguna",
        json={"user": s["email"]},
        headers=admin_auth,
    )
    assert synced.status_code == 200, synced.text
    assert set(synced.json()["message"]["panti"]) == {s["milik"]["panti"], s["lain"]["panti"]}
    other = http.get(f"{PENGHUNI}/{s['lain']['penghuni']}", headers=s["lks"])
    assert other.status_code == 200
    refused = http.post(
        "/api/method/layanan_sosial.panti.api.sinkron_akses_pengguna",
        json={"user": s["email"]},
        headers=s["lks"],
    )
    assert refused.status_code == 403
    with site.begin() as ctx:  # ...and removing it closes them again
        ctx.delete_doc("User Permission", binding.name)
    assert http.get(other_url, headers=s["lks"]).status_code in (403, 404)
    assert http.get(f"{PENGHUNI}/{s['milik']['penghuni']}", headers=s["lks"]).status_code == 200
