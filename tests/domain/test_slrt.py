"""SLRT module on the engine (both backends, each test rolled back): complaint dates and
the 1×24 h window, stage gates of a case, referral rules, monitoring indicators computed
by hand, and the SLA report per kabupaten."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest

from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.core.workflow.engine import apply_workflow
from layanan_sosial.slrt.api import buat_kasus, tanggapi_rujukan
from layanan_sosial.slrt.indikator import indikator
from layanan_sosial.slrt.report.kinerja_sla_pengaduan_dan_kasus import (
    kinerja_sla_pengaduan_dan_kasus as laporan,
)

DESA = "53.71.02.1001"  # Oepura, Kec. Maulafa, Kota Kupang
DESA_LAIN = "53.01.05.1001"  # Oenesu, Kabupaten Kupang
T0 = dt.datetime(2019, 3, 4, 8, 0)


def at(ctx, when):
    ctx.now_override = when
    return ctx


def pengaduan(ctx, when=T0, wilayah=DESA, **values):
    at(ctx, when)
    return ctx.new_doc(
        "Pengaduan",
        tanggal_pengaduan=when,
        kanal="WhatsApp",
        kategori="JPS Kesehatan",
        nama_pelapor=f"Yohana {secrets.token_hex(2)}",
        telepon_pelapor="081234567890",
        wilayah=wilayah,
        uraian="Anak sakit, tidak punya KIS",
        **values,
    ).insert()


def act(ctx, doc, action, when=None, **values):
    if when is not None:
        at(ctx, when)
    if values:
        fresh = ctx.get_doc(doc.doctype, doc.name)
        fresh.update(values)
        fresh.save()
    return apply_workflow(ctx, {"doctype": doc.doctype, "name": doc.name}, action)


def penerima(ctx, wilayah=DESA):
    return ctx.new_doc(
        "Penerima Manfaat", nama_lengkap=f"Maria {secrets.token_hex(3)}", wilayah=wilayah
    ).insert()


def kasus_disetujui(ctx, when=T0):
    at(ctx, when)
    kasus = ctx.new_doc("Kasus", penerima_manfaat=penerima(ctx).name).insert()
    act(ctx, kasus, "Mulai Asesmen")
    act(ctx, kasus, "Susun Rencana", asesmen=[{"bidang": "Kesehatan", "temuan": "Tanpa KIS"}])
    act(
        ctx,
        kasus,
        "Setujui",
        rencana=[{"kebutuhan": "KIS", "intervensi": "Usulan PBI", "bentuk": "Rujukan"}],
    )
    return ctx.get_doc("Kasus", kasus.name)


def lembaga(ctx):
    return ctx.new_doc(
        "Lembaga Mitra", nama=f"LKS Kasih {secrets.token_hex(2)}", jenis="LKS"
    ).insert()


def test_complaint_gets_a_tracking_number_deadline_and_response_dates(ctx):
    doc = pengaduan(ctx, tanggal_respon=T0 - dt.timedelta(days=9))
    assert doc.name.startswith("ADU-2019-")
    assert doc.workflow_state == "Baru"
    assert doc.batas_waktu == T0 + dt.timedelta(hours=24)
    assert doc.tanggal_respon is None  # filled by the workflow only, never by the client
    doc = act(ctx, doc, "Verifikasi", T0 + dt.timedelta(hours=3))
    assert doc.tanggal_respon == T0 + dt.timedelta(hours=3)
    at(ctx, T0 + dt.timedelta(hours=5))
    with pytest.raises(ValidationError) as err:
        apply_workflow(ctx, doc, "Tindak Lanjuti")
    assert err.value.field == "tindak_lanjut"
    doc = act(ctx, doc, "Tindak Lanjuti", tindak_lanjut="Diantar ke Puskesmas, usulan PBI")
    assert doc.tanggal_keputusan == T0 + dt.timedelta(hours=5) and doc.tepat_waktu == 1
    doc = act(ctx, doc, "Selesaikan", T0 + dt.timedelta(days=3))
    assert doc.workflow_state == "Selesai" and doc.tanggal_selesai == T0 + dt.timedelta(days=3)


def test_rejection_needs_a_reason_and_a_late_decision_is_not_on_time(ctx):
    doc = pengaduan(ctx)
    at(ctx, T0 + dt.timedelta(hours=30))
    with pytest.raises(ValidationError) as err:
        apply_workflow(ctx, doc, "Tolak")
    assert err.value.field == "alasan_penolakan"
    doc = act(ctx, doc, "Tolak", alasan_penolakan="Pengaduan ganda dari ADU lain")
    assert doc.workflow_state == "Ditolak" and doc.tepat_waktu == 0
    assert doc.tanggal_respon == T0 + dt.timedelta(hours=30)


def test_future_complaint_date_refused(ctx):
    at(ctx, T0)
    with pytest.raises(ValidationError) as err:
        ctx.new_doc(
            "Pengaduan",
            tanggal_pengaduan=T0 + dt.timedelta(days=2),
            kanal="Telepon",
            kategori="Lainnya",
            nama_pelapor="X",
            wilayah=DESA,
            uraian="-",
        ).insert()
    assert err.value.field == "tanggal_pengaduan"


def test_buat_kasus_links_both_ways_and_moves_the_complaint_on(ctx):
    doc = pengaduan(ctx)
    with pytest.raises(ValidationError):  # not verified yet
        buat_kasus(ctx, doc.name, penerima_manfaat=penerima(ctx).name)
    act(ctx, doc, "Verifikasi", T0 + dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as err:  # nobody to open the case for
        buat_kasus(ctx, doc.name)
    assert err.value.field == "penerima_manfaat"
    pm = penerima(ctx)
    hasil = buat_kasus(ctx, doc.name, penerima_manfaat=pm.name)
    kasus = ctx.get_doc("Kasus", hasil["kasus"])
    aduan = ctx.get_doc("Pengaduan", doc.name)
    assert kasus.pengaduan == aduan.name and aduan.kasus == kasus.name
    assert kasus.wilayah == DESA and kasus.workflow_state == "Pendaftaran"
    assert kasus.nama_penerima == pm.nama_lengkap
    assert aduan.workflow_state == "Ditindaklanjuti" and aduan.penerima_manfaat == pm.name
    with pytest.raises(ValidationError):  # a second case for the same complaint
        buat_kasus(ctx, doc.name)


def test_case_stage_gates(ctx):
    at(ctx, T0)
    kasus = ctx.new_doc("Kasus", penerima_manfaat=penerima(ctx).name).insert()
    assert kasus.name.startswith("KSS-2019-") and kasus.wilayah == DESA  # fetched if empty
    act(ctx, kasus, "Mulai Asesmen", T0 + dt.timedelta(hours=6))
    assert ctx.get_doc("Kasus", kasus.name).tanggal_respon == T0 + dt.timedelta(hours=6)
    with pytest.raises(ValidationError) as err:
        act(ctx, kasus, "Susun Rencana")
    assert err.value.field == "asesmen"
    act(ctx, kasus, "Susun Rencana", asesmen=[{"bidang": "Ekonomi", "temuan": "Tanpa usaha"}])
    with pytest.raises(ValidationError) as err:
        act(ctx, kasus, "Setujui")
    assert err.value.field == "rencana"
    act(
        ctx,
        kasus,
        "Setujui",
        rencana=[{"kebutuhan": "Modal", "intervensi": "UEP", "bentuk": "Layanan Langsung"}],
    )
    act(ctx, kasus, "Beri Layanan", layanan=[{"jenis_layanan": "Bantuan modal UEP"}])
    act(ctx, kasus, "Re-asesmen")
    with pytest.raises(ValidationError) as err:
        act(ctx, kasus, "Tutup Kasus")
    assert err.value.field == "hasil_reasesmen"
    with pytest.raises(ValidationError) as err:
        act(ctx, kasus, "Tutup Kasus", hasil_reasesmen="Usaha berjalan")
    assert err.value.field == "hasil_akhir"
    done = act(ctx, kasus, "Tutup Kasus", T0 + dt.timedelta(days=10), hasil_akhir="Mandiri")
    assert done.workflow_state == "Selesai" and done.tanggal_selesai == T0 + dt.timedelta(days=10)
    assert done.disetujui_oleh == "Administrator"


def test_referral_rules(ctx):
    at(ctx, T0)
    baru = ctx.new_doc("Kasus", penerima_manfaat=penerima(ctx).name).insert()
    mitra = lembaga(ctx)
    base = {"alasan": "Butuh pengasuhan", "persetujuan_penerima": 1}
    with pytest.raises(ValidationError) as err:  # the plan is not approved yet
        ctx.new_doc(
            "Rujukan",
            kasus=baru.name,
            tujuan_jenis="Lembaga Mitra",
            lembaga_mitra=mitra.name,
            **base,
        ).insert()
    assert err.value.field == "kasus"
    kasus = kasus_disetujui(ctx)
    pkh = ctx.new_doc("Program Bantuan", kode=f"PKH-{secrets.token_hex(3)}", nama="PKH").insert()
    cases = [
        ({"tujuan_jenis": "Lembaga Mitra"}, "lembaga_mitra"),
        # without a receiving lembaga every partner's User Permission would let it through
        ({"tujuan_jenis": "Program Bantuan", "program_bantuan": pkh.name}, "lembaga_mitra"),
        ({"tujuan_jenis": "Program Bantuan", "lembaga_mitra": mitra.name}, "program_bantuan"),
        (
            {
                "tujuan_jenis": "Lembaga Mitra",
                "lembaga_mitra": mitra.name,
                "persetujuan_penerima": 0,
            },
            "persetujuan_penerima",
        ),
        (
            {
                "tujuan_jenis": "Lembaga Mitra",
                "lembaga_mitra": mitra.name,
                "tanggal_tindak_lanjut": "2019-03-01",
            },
            "tanggal_tindak_lanjut",
        ),
    ]
    for values, field in cases:
        with pytest.raises(ValidationError) as err:
            ctx.new_doc("Rujukan", kasus=kasus.name, **{**base, **values}).insert()
        assert err.value.field == field, values
    ok = ctx.new_doc(
        "Rujukan",
        kasus=kasus.name,
        tujuan_jenis="Lembaga Mitra",
        lembaga_mitra=mitra.name,
        tanggal_tindak_lanjut="2019-03-11",
        **base,
    ).insert()
    assert ok.workflow_state == "Dikirim" and ok.penerima_manfaat == kasus.penerima_manfaat
    assert ok.wilayah == DESA and ok.nama_penerima == kasus.nama_penerima
    act(ctx, ok, "Terima")
    with pytest.raises(ValidationError) as err:
        act(ctx, ok, "Laporkan Hasil")
    assert err.value.field == "hasil_layanan"
    done = act(ctx, ok, "Laporkan Hasil", hasil_layanan="Diasuh di LKS sejak 5 Maret")
    assert done.workflow_state == "Dilayani" and done.tanggal_dilayani is not None


def _dataset(ctx):
    """Three complaints and two cases in Kota Kupang, one complaint elsewhere (see the
    hand computation in test_indicators_match_a_hand_computed_example)."""
    a = pengaduan(ctx, T0)  # responded after 2 h, followed up after 12 h (on time), closed
    act(ctx, a, "Verifikasi", T0 + dt.timedelta(hours=2))
    act(ctx, a, "Tindak Lanjuti", T0 + dt.timedelta(hours=12), tindak_lanjut="Usulan PBI")
    act(ctx, a, "Selesaikan", T0 + dt.timedelta(hours=40))
    b_at = T0 + dt.timedelta(days=1)
    b = pengaduan(ctx, b_at)  # responded after 6 h, rejected after 30 h (late), closed
    act(ctx, b, "Verifikasi", b_at + dt.timedelta(hours=6))
    act(ctx, b, "Tolak", b_at + dt.timedelta(hours=30), alasan_penolakan="Bukan kewenangan")
    act(ctx, b, "Selesaikan", b_at + dt.timedelta(hours=31))
    pengaduan(ctx, T0 + dt.timedelta(days=2))  # never touched: overdue after 24 h
    pengaduan(ctx, T0, wilayah=DESA_LAIN)  # another kabupaten
    at(ctx, T0 + dt.timedelta(days=3))
    k1 = ctx.new_doc("Kasus", penerima_manfaat=penerima(ctx).name).insert()
    at(ctx, T0 + dt.timedelta(days=3, hours=12))
    act(ctx, k1, "Mulai Asesmen")  # 12 h
    act(ctx, k1, "Susun Rencana", asesmen=[{"bidang": "Kesehatan", "temuan": "Sakit"}])
    act(
        ctx,
        k1,
        "Setujui",
        rencana=[{"kebutuhan": "KIS", "intervensi": "PBI", "bentuk": "Layanan Langsung"}],
    )
    act(ctx, k1, "Beri Layanan")
    act(ctx, k1, "Re-asesmen")
    act(
        ctx,
        k1,
        "Tutup Kasus",
        T0 + dt.timedelta(days=6),
        hasil_reasesmen="KIS aktif",
        hasil_akhir="Kebutuhan Terpenuhi",
    )  # 3 days after registration
    at(ctx, T0 + dt.timedelta(days=4))
    k2 = ctx.new_doc("Kasus", penerima_manfaat=penerima(ctx).name).insert()
    act(ctx, k2, "Mulai Asesmen", T0 + dt.timedelta(days=4, hours=4))  # 4 h
    for wilayah, nilai in ((DESA, 4), ("53.71.02", 3), ("Kota Kupang", 4), (DESA_LAIN, 1)):
        ctx.new_doc(
            "Survei Kepuasan",
            tanggal="2019-03-05",
            wilayah=wilayah,
            **{f"u{i}": nilai for i in range(1, 10)},
        ).insert()
    at(ctx, T0 + dt.timedelta(days=10))


def test_indicators_match_a_hand_computed_example(ctx):
    _dataset(ctx)
    hasil = indikator(ctx, wilayah="53.71", dari="2019-03-01", sampai="2019-03-31")
    # response 2 h and 6 h → 4.0; closed 2 of 3; on time 1 of (2 decided + 1 overdue)
    assert hasil["pengaduan"] == {
        "jumlah": 3,
        "selesai": 2,
        "tingkat_penyelesaian_persen": 66.67,
        "rata_rata_waktu_respon_jam": 4.0,
        "dinilai_sla": 3,
        "tepat_waktu": 1,
        "tepat_waktu_persen": 33.33,
        "terlambat_belum_ditangani": 1,
    }
    # cases: response 12 h and 4 h → 8.0; one of two closed after 3 days
    assert hasil["kasus"] == {
        "jumlah": 2,
        "selesai": 1,
        "tingkat_penyelesaian_persen": 50.0,
        "rata_rata_waktu_respon_jam": 8.0,
        "rata_rata_waktu_penyelesaian_hari": 3.0,
    }
    # surveys of the code, a code under it and the name: NRR (4+3+4)/3 → IKM 91.67 (A)
    assert hasil["kepuasan"]["jumlah_responden"] == 3
    assert hasil["kepuasan"]["ikm"] == 91.67 and hasil["kepuasan"]["mutu"] == "A"
    kosong = indikator(ctx, wilayah="53.71", dari="2020-01-01", sampai="2020-12-31")
    assert kosong["pengaduan"]["jumlah"] == 0
    assert kosong["pengaduan"]["rata_rata_waktu_respon_jam"] is None
    with pytest.raises(ValidationError):
        indikator(ctx, dari="2019-03-31", sampai="2019-03-01")


def test_sla_report_per_kabupaten(ctx):
    _dataset(ctx)
    columns, data, _message, chart = laporan.execute(
        ctx, {"dari": "2019-03-01", "sampai": "2019-03-31"}
    )
    assert {c["fieldname"] for c in columns} >= {
        "kabupaten",
        "jumlah_pengaduan",
        "pengaduan_selesai",
        "tepat_waktu_persen",
        "rata_rata_respon_jam",
    }
    rows = {row["kabupaten"]: row for row in data}
    kota = rows["53.71"]
    assert kota["nama_kabupaten"] == "Kota Kupang"
    assert (kota["jumlah_pengaduan"], kota["pengaduan_selesai"]) == (3, 2)
    assert kota["tepat_waktu_persen"] == 33.33 and kota["rata_rata_respon_jam"] == 4.0
    assert (kota["jumlah_kasus"], kota["kasus_selesai"]) == (2, 1)
    assert rows["53.01"]["jumlah_pengaduan"] == 1
    assert chart["type"] == "bar"
    assert "Kota Kupang" in chart["data"]["labels"]
    only = laporan.execute(ctx, {"wilayah": "53.01", "dari": "2019-03-01", "sampai": "2019-03-31"})
    assert [row["kabupaten"] for row in only[1]] == ["53.01"]


def test_partner_answers_only_its_own_fields_without_reading_the_case(ctx):
    kasus = kasus_disetujui(ctx)
    mitra, lain = lembaga(ctx), lembaga(ctx)
    rujukan = ctx.new_doc(
        "Rujukan",
        kasus=kasus.name,
        tujuan_jenis="Lembaga Mitra",
        lembaga_mitra=mitra.name,
        alasan="Pengasuhan sementara",
        persetujuan_penerima=1,
    ).insert()
    pkh = ctx.new_doc("Program Bantuan", kode=f"PKH-{secrets.token_hex(3)}", nama="PKH").insert()
    ctx.new_doc(  # a programme referral still names its receiving party (here another one)
        "Rujukan",
        kasus=kasus.name,
        tujuan_jenis="Program Bantuan",
        program_bantuan=pkh.name,
        lembaga_mitra=lain.name,
        alasan="Usulan PKH",
        persetujuan_penerima=1,
    ).insert()
    email = f"mitra.{secrets.token_hex(3)}@slrt.uji.id"
    ctx.new_doc("User", email=email, first_name="Mitra", roles=[{"role": "Mitra LKS"}]).insert()
    ctx.new_doc(
        "User Permission",
        user=email,
        allow="Lembaga Mitra",
        for_value=mitra.name,
        apply_to_all_doctypes=1,
    ).insert()
    ctx.set_user(email)
    assert ctx.get_all("Rujukan", filters={"kasus": kasus.name}, pluck="name") == [rujukan.name]
    assert not ctx.has_permission("Kasus", "read")
    assert tanggapi_rujukan(ctx, rujukan.name, "Terima")["workflow_state"] == "Diterima"
    doc = ctx.get_doc("Rujukan", rujukan.name)
    doc.alasan = "Diubah oleh mitra"
    ctx.flags.ignore_links = True  # even past the link check, Dinsos's part stays Dinsos's
    try:
        with pytest.raises(ValidationError) as err:
            doc.save()
    finally:
        ctx.flags.ignore_links = None
    assert err.value.field == "alasan"
    with pytest.raises(ValidationError):  # not an action a partner has
        tanggapi_rujukan(ctx, rujukan.name, "Selesaikan")


def rujukan_ke_mitra(ctx, kasus, **values):
    """A consented referral of `kasus` to a new partner institution."""
    return ctx.new_doc(
        "Rujukan",
        kasus=kasus.name,
        tujuan_jenis="Lembaga Mitra",
        lembaga_mitra=lembaga(ctx).name,
        alasan="Pendampingan",
        persetujuan_penerima=1,
        **values,
    ).insert()


def test_overdue_follow_up_is_flagged(ctx):
    from layanan_sosial.slrt.api import rujukan_terlambat

    kasus = kasus_disetujui(ctx)
    doc = rujukan_ke_mitra(ctx, kasus, tanggal_tindak_lanjut="2019-03-08")
    at(ctx, dt.datetime(2019, 3, 8, 9, 0))
    assert doc.name not in [r["name"] for r in rujukan_terlambat(ctx, wilayah="53.71")]
    at(ctx, dt.datetime(2019, 3, 9, 9, 0))
    late = {r["name"]: r for r in rujukan_terlambat(ctx, wilayah="53.71")}
    assert late[doc.name]["workflow_state"] == "Dikirim"
    assert doc.name not in [r["name"] for r in rujukan_terlambat(ctx, wilayah="53.01")]
    act(ctx, doc, "Terima")
    act(ctx, doc, "Laporkan Hasil", hasil_layanan="Didampingi")
    act(ctx, doc, "Selesaikan")
    assert doc.name not in [r["name"] for r in rujukan_terlambat(ctx)]


def test_daily_job_flags_an_overdue_referral_and_reminds_the_case_worker_once(ctx):
    from layanan_sosial.slrt.jadwal import ingatkan_rujukan_terlambat

    kasus = kasus_disetujui(ctx)
    petugas = f"peksos.{secrets.token_hex(3)}@uji.id"
    ctx.new_doc("User", email=petugas, first_name="Peksos").insert()
    kasus.db_set("petugas", petugas)
    doc = rujukan_ke_mitra(ctx, kasus, tanggal_tindak_lanjut="2019-03-08")

    def reminders():
        return ctx.get_all(
            "Notification Log",
            filters={"document_type": "Rujukan", "document_name": doc.name},
            pluck="for_user",
        )

    at(ctx, dt.datetime(2019, 3, 8, 23, 0))  # the follow-up day itself: not late yet
    assert doc.name not in ingatkan_rujukan_terlambat(ctx)
    at(ctx, dt.datetime(2019, 3, 9, 6, 0))
    assert doc.name in ingatkan_rujukan_terlambat(ctx)
    assert ctx.get_value("Rujukan", doc.name, "terlambat") == 1
    assert sorted(reminders()) == sorted({petugas, doc.owner})
    assert doc.name not in ingatkan_rujukan_terlambat(ctx)  # the next day: no second reminder
    assert len(reminders()) == len({petugas, doc.owner})

    fresh = ctx.get_doc("Rujukan", doc.name)  # a new follow-up date clears the flag
    fresh.tanggal_tindak_lanjut = "2019-03-15"
    fresh.save()
    assert ctx.get_value("Rujukan", doc.name, "terlambat") == 0
    at(ctx, dt.datetime(2019, 3, 16, 6, 0))
    assert doc.name in ingatkan_rujukan_terlambat(ctx)  # late again: reminded again
    act(ctx, doc, "Terima")
    act(ctx, doc, "Laporkan Hasil", hasil_layanan="Didampingi")
    act(ctx, doc, "Selesaikan")
    assert ctx.get_value("Rujukan", doc.name, "terlambat") == 0
