"""SLRT over REST as the real users (token headers, roles, User Permissions): a complaint
becomes a case, is assessed, planned, approved (never by its creator), referred to an LKS
partner that answers through its own scoped account, re-assessed and closed; an untouched
complaint is escalated after 24 h; a kabupaten user sees only its region; the report."""

from __future__ import annotations

import datetime as dt
import json
import secrets

import pytest
from api_helpers import make_user

from layanan_sosial.core.workflow.sla import escalate_overdue

APPLY = "/api/method/frappe.model.workflow.apply_workflow"
SLA = "/api/method/layanan_sosial.core.workflow.api.get_sla"
API = "/api/method/layanan_sosial.slrt.api"
RUN = "/api/method/frappe.desk.query_report.run"
REPORT = "Kinerja SLA Pengaduan dan Kasus"
DESA_KOTA = "53.71.02.1001"  # Oepura, Kota Kupang
DESA_KAB = "53.01.05.1001"  # Oenesu, Kabupaten Kupang


def _h(keys):
    return {"Authorization": keys["token"]}


def _user(site, name, roles, **perms):
    email = f"{name}.{secrets.token_hex(3)}@slrt.uji.id"
    keys = make_user(site, email, roles)
    if perms:
        with site.begin() as ctx:
            for allow, (value, applicable_for) in perms.items():
                ctx.new_doc(
                    "User Permission",
                    user=email,
                    allow=allow.replace("_", " "),
                    for_value=value,
                    applicable_for=applicable_for,
                    apply_to_all_doctypes=0 if applicable_for else 1,
                ).insert()
    return email, _h(keys)


def _apply(http, headers, doctype, name, action):
    ref = json.dumps({"doctype": doctype, "name": name})
    return http.post(APPLY, json={"doc": ref, "action": action}, headers=headers)


def _ok(res):
    assert res.status_code == 200, res.text
    body = res.json()
    return body.get("message", body.get("data"))


def _complaint(http, headers, wilayah=DESA_KOTA, **values):
    res = http.post(
        "/api/resource/Pengaduan",
        json={
            "kanal": "Datang Langsung",
            "kategori": "JPS Kesehatan",
            "nama_pelapor": "Yosefina Bria",
            "telepon_pelapor": "081339000111",
            "wilayah": wilayah,
            "uraian": "Ibu hamil belum punya KIS, perlu rujukan persalinan",
            **values,
        },
        headers=headers,
    )
    return _ok(res)


@pytest.fixture
def lembaga(site):
    with site.begin() as ctx:
        return [
            ctx.new_doc("Lembaga Mitra", nama=f"LKS {n} {secrets.token_hex(2)}", jenis="LKS")
            .insert()
            .name
            for n in ("Kasih Ibu", "Harapan")
        ]


def test_complaint_to_case_to_referral_to_closure(http, site, lembaga):
    lembaga_a, lembaga_b = lembaga
    _, fo = _user(site, "fo", ["Front Office"])
    ps_email, ps = _user(site, "peksos", ["Pekerja Sosial"])
    sup_email, sup = _user(site, "supervisor", ["Supervisor SLRT"])
    _, ganda = _user(site, "peksos.supervisor", ["Pekerja Sosial", "Supervisor SLRT"])
    _, mitra_a = _user(site, "mitra.a", ["Mitra LKS"], Lembaga_Mitra=(lembaga_a, None))
    _, mitra_b = _user(site, "mitra.b", ["Mitra LKS"], Lembaga_Mitra=(lembaga_b, None))

    # Front Office registers the recipient and the complaint, and verifies it
    pm = _ok(
        http.post(
            "/api/resource/Penerima Manfaat",
            json={"nama_lengkap": "Yosefina Bria", "wilayah": DESA_KOTA},
            headers=fo,
        )
    )
    aduan = _complaint(http, fo, penerima_manfaat=pm["name"])
    assert aduan["name"].startswith("ADU-") and aduan["workflow_state"] == "Baru"
    assert aduan["batas_waktu"] is not None
    assert _ok(_apply(http, fo, "Pengaduan", aduan["name"], "Verifikasi"))["tanggal_respon"]

    # the Pekerja Sosial turns it into a case
    res = http.post(f"{API}.buat_kasus", json={"pengaduan": aduan["name"]}, headers=ps)
    hasil = _ok(res)
    kasus = hasil["kasus"]
    assert hasil["status_pengaduan"] == "Ditindaklanjuti"
    stored = _ok(http.get(f"/api/resource/Pengaduan/{aduan['name']}", headers=fo))
    assert stored["kasus"] == kasus
    assert _ok(http.get(f"/api/resource/Kasus/{kasus}", headers=ps))["pengaduan"] == aduan["name"]

    # assessment and plan
    _ok(_apply(http, ps, "Kasus", kasus, "Mulai Asesmen"))
    asesmen = [
        {"bidang": "Kesehatan", "temuan": "Tidak punya KIS", "tingkat_kebutuhan": "Mendesak"},
        {"bidang": "Ekonomi", "temuan": "Suami buruh harian", "tingkat_kebutuhan": "Sedang"},
    ]
    _ok(http.put(f"/api/resource/Kasus/{kasus}", json={"asesmen": asesmen}, headers=ps))
    _ok(_apply(http, ps, "Kasus", kasus, "Susun Rencana"))
    rencana = [
        {"kebutuhan": "Persalinan", "intervensi": "Rujuk ke LKS pendamping", "bentuk": "Rujukan"}
    ]
    _ok(http.put(f"/api/resource/Kasus/{kasus}", json={"rencana": rencana}, headers=ps))
    refused = _apply(http, ps, "Kasus", kasus, "Setujui")
    assert refused.status_code == 417  # the Pekerja Sosial may not approve

    # creator cannot self-approve, even holding the Supervisor role
    own = _ok(
        http.post("/api/resource/Kasus", json={"penerima_manfaat": pm["name"]}, headers=ganda)
    )["name"]
    _ok(_apply(http, ganda, "Kasus", own, "Mulai Asesmen"))
    _ok(
        http.put(
            f"/api/resource/Kasus/{own}",
            json={"asesmen": asesmen, "rencana": rencana},
            headers=ganda,
        )
    )
    _ok(_apply(http, ganda, "Kasus", own, "Susun Rencana"))
    self_approval = _apply(http, ganda, "Kasus", own, "Setujui")
    assert self_approval.status_code == 417
    assert "Pembuat dokumen" in self_approval.json()["_server_messages"] or "Pembuat" in (
        self_approval.text
    )

    approved = _ok(_apply(http, sup, "Kasus", kasus, "Setujui"))
    assert approved["workflow_state"] == "Disetujui" and approved["disetujui_oleh"] == sup_email

    # referrals: one to partner A, one to partner B
    _ok(_apply(http, ps, "Kasus", kasus, "Rujuk"))
    rujukan = {}
    for key, target in (("a", lembaga_a), ("b", lembaga_b)):
        rujukan[key] = _ok(
            http.post(
                "/api/resource/Rujukan",
                json={
                    "kasus": kasus,
                    "tujuan_jenis": "Lembaga Mitra",
                    "lembaga_mitra": target,
                    "alasan": "Pendampingan persalinan dan pengurusan KIS",
                    "persetujuan_penerima": 1,
                    "tanggal_tindak_lanjut": (dt.date.today() + dt.timedelta(days=7)).isoformat(),
                },
                headers=ps,
            )
        )["name"]
    missing = http.post(
        "/api/resource/Rujukan",
        json={
            "kasus": kasus,
            "tujuan_jenis": "Lembaga Mitra",
            "alasan": "x",
            "persetujuan_penerima": 1,
        },
        headers=ps,
    )
    assert missing.status_code == 417 and "lembaga_mitra" in missing.text

    # partner A sees only the referral addressed to it, never the case
    listed = _ok(
        http.get(
            "/api/resource/Rujukan",
            params={"filters": json.dumps({"kasus": kasus}), "fields": json.dumps(["name"])},
            headers=mitra_a,
        )
    )
    assert [r["name"] for r in listed] == [rujukan["a"]]
    assert http.get(f"/api/resource/Rujukan/{rujukan['b']}", headers=mitra_a).status_code in (
        403,
        404,
    )
    assert http.get(f"/api/resource/Kasus/{kasus}", headers=mitra_a).status_code in (403, 404)
    seen = _ok(http.get(f"/api/resource/Rujukan/{rujukan['a']}", headers=mitra_a))
    assert seen["nama_penerima"] == "Yosefina Bria" and seen["workflow_state"] == "Dikirim"
    other = http.post(
        f"{API}.tanggapi_rujukan",
        json={"rujukan": rujukan["b"], "tindakan": "Terima"},
        headers=mitra_a,
    )
    assert other.status_code in (403, 404)

    # partner A accepts with Frappe's own apply_workflow (the case link it cannot read is
    # kept, not re-checked against its rights) and reports back through its own account
    terima = _ok(_apply(http, mitra_a, "Rujukan", rujukan["a"], "Terima"))
    assert terima["workflow_state"] == "Diterima"
    note = http.put(
        f"/api/resource/Rujukan/{rujukan['a']}",
        json={"catatan_mitra": "Jadwal kontrol minggu depan"},
        headers=mitra_a,
    )
    assert note.status_code == 200, note.text
    no_report = http.post(
        f"{API}.tanggapi_rujukan",
        json={"rujukan": rujukan["a"], "tindakan": "Laporkan Hasil"},
        headers=mitra_a,
    )
    assert no_report.status_code == 417 and "hasil_layanan" in no_report.text
    laporan = _ok(
        http.post(
            f"{API}.tanggapi_rujukan",
            json={
                "rujukan": rujukan["a"],
                "tindakan": "Laporkan Hasil",
                "hasil_layanan": "Persalinan di RSUD dengan KIS PBI baru, ibu dan bayi sehat",
            },
            headers=mitra_a,
        )
    )
    assert laporan["workflow_state"] == "Dilayani"
    # the partner cannot rewrite Dinsos's part of the referral
    meddle = http.put(
        f"/api/resource/Rujukan/{rujukan['a']}", json={"alasan": "diubah mitra"}, headers=mitra_a
    )
    assert meddle.status_code >= 400
    # partner B declines its own one with a reason
    tolak = _ok(
        http.post(
            f"{API}.tanggapi_rujukan",
            json={
                "rujukan": rujukan["b"],
                "tindakan": "Tolak",
                "alasan_penolakan": "Kapasitas penuh",
            },
            headers=mitra_b,
        )
    )
    assert tolak["workflow_state"] == "Ditolak"

    # Dinsos reads the report back, closes the referral, re-assesses and closes the case
    back = _ok(http.get(f"/api/resource/Rujukan/{rujukan['a']}", headers=ps))
    assert back["hasil_layanan"].startswith("Persalinan di RSUD")
    assert back["alasan"] == "Pendampingan persalinan dan pengurusan KIS"
    assert back["tanggal_diterima"] and back["tanggal_dilayani"]
    _ok(_apply(http, ps, "Rujukan", rujukan["a"], "Selesaikan"))
    _ok(_apply(http, ps, "Kasus", kasus, "Re-asesmen"))
    _ok(
        http.put(
            f"/api/resource/Kasus/{kasus}",
            json={"hasil_reasesmen": "KIS aktif, bayi sehat", "hasil_akhir": "Kebutuhan Terpenuhi"},
            headers=ps,
        )
    )
    closed = _ok(_apply(http, ps, "Kasus", kasus, "Tutup Kasus"))
    assert closed["workflow_state"] == "Selesai" and closed["tanggal_selesai"]
    done = _ok(_apply(http, ps, "Pengaduan", aduan["name"], "Selesaikan"))
    assert done["workflow_state"] == "Selesai"


def test_untouched_complaint_escalates_to_the_supervisor_after_24_hours(http, site):
    _, fo = _user(site, "fo.sla", ["Front Office"])
    sup_email, sup = _user(site, "supervisor.sla", ["Supervisor SLRT"])
    aduan = _complaint(http, fo, kanal="Telepon", kategori="ODGJ Terlantar")
    name = aduan["name"]
    sla = _ok(
        http.get(
            SLA,
            params={"doctype": "Pengaduan", "name": name},
            headers=fo,
        )
    )
    assert sla["workflow_state"] == "Baru" and not sla["is_overdue"]
    start = dt.datetime.now()
    with site.begin() as ctx:
        escalate_overdue(ctx, now=start + dt.timedelta(hours=23))
    assert not _ok(
        http.get(
            SLA,
            params={"doctype": "Pengaduan", "name": name},
            headers=fo,
        )
    )["is_overdue"]
    with site.begin() as ctx:
        assert escalate_overdue(ctx, now=start + dt.timedelta(hours=25)) >= 1
    overdue = _ok(
        http.get(
            SLA,
            params={"doctype": "Pengaduan", "name": name},
            headers=sup,
        )
    )
    assert overdue["is_overdue"] and overdue["status"] == "Escalated"
    logs = _ok(
        http.get(
            "/api/resource/Notification Log",
            params={
                "filters": json.dumps({"document_name": name}),
                "fields": json.dumps(["for_user", "subject", "document_type"]),
            },
            headers=sup,
        )
    )
    assert [(row["for_user"], row["document_type"]) for row in logs] == [(sup_email, "Pengaduan")]
    assert "Baru" in logs[0]["subject"]


def test_kabupaten_user_sees_only_its_region(http, site):
    _, admin_fo = _user(site, "fo.provinsi", ["Front Office"])
    _, kota = _user(
        site,
        "fo.kota",
        ["Front Office", "Supervisor SLRT"],
        Wilayah=("53.71", "Pengaduan"),
    )
    di_kota = _complaint(http, admin_fo, wilayah=DESA_KOTA)["name"]
    di_kab = _complaint(http, admin_fo, wilayah=DESA_KAB)["name"]
    listed = _ok(
        http.get(
            "/api/resource/Pengaduan",
            params={
                "filters": json.dumps([["name", "in", [di_kota, di_kab]]]),
                "fields": json.dumps(["name", "wilayah"]),
            },
            headers=kota,
        )
    )
    assert listed == [{"name": di_kota, "wilayah": DESA_KOTA}]
    assert http.get(f"/api/resource/Pengaduan/{di_kab}", headers=kota).status_code in (403, 404)
    outside = http.post(
        "/api/resource/Pengaduan",
        json={
            "kanal": "SMS",
            "kategori": "Lainnya",
            "nama_pelapor": "X",
            "uraian": "-",
            "wilayah": DESA_KAB,
        },
        headers=kota,
    )
    assert outside.status_code in (403, 417)
    # indicators and report only count what the user may read
    mine = _ok(http.get(f"{API}.indikator_monitoring", headers=kota))
    everything = _ok(http.get(f"{API}.indikator_monitoring", headers=admin_fo))
    assert 1 <= mine["pengaduan"]["jumlah"] < everything["pengaduan"]["jumlah"]
    in_kota = _ok(
        http.get(f"{API}.indikator_monitoring", params={"wilayah": "53.71"}, headers=kota)
    )
    assert mine["pengaduan"] == in_kota["pengaduan"]
    res = http.get(RUN, params={"report_name": REPORT, "filters": json.dumps({})}, headers=kota)
    message = _ok(res)
    assert [row["kabupaten"] for row in message["result"]] == ["53.71"]
    assert message["chart"]["type"] == "bar"
    assert message["result"][0]["jumlah_pengaduan"] == mine["pengaduan"]["jumlah"]


def test_report_roles(http, site):
    _, pimpinan = _user(site, "pimpinan", ["Pimpinan"])
    _, mitra = _user(site, "mitra.laporan", ["Mitra LKS"])
    res = http.get(RUN, params={"report_name": REPORT}, headers=pimpinan)
    body = _ok(res)
    assert {c["fieldname"] for c in body["columns"]} >= {"kabupaten", "tepat_waktu_persen"}
    assert http.get(RUN, params={"report_name": REPORT}, headers=mitra).status_code == 403
