"""Bencana: victims with vulnerable-group flags derived from age, kejadian counts that follow
the victims, remaining need on a distribution plan, needs against distribution (a
hand-computed example), the report, and scope by kabupaten (User Permission on Wilayah)."""

from __future__ import annotations

import secrets

import pytest

from layanan_sosial.bencana.api import ambil_kebutuhan, kebutuhan_vs_penyaluran
from layanan_sosial.bencana.report.bantuan_bencana_terhadap_kebutuhan import (
    bantuan_bencana_terhadap_kebutuhan as laporan,
)
from layanan_sosial.core.exceptions import PermissionError_, ValidationError
from layanan_sosial.core.workflow.engine import apply_workflow

KOTA = "53.71"  # Kota Kupang
DESA_ALAK = "53.71.01.1001"  # Namosain, Kec. Alak
KAB_KUPANG = "53.01"


def kejadian(ctx, wilayah=KOTA, **values):
    base = {
        "nama_kejadian": f"Banjir {secrets.token_hex(3)}",
        "jenis_bencana": "Banjir",
        "tanggal_kejadian": "2026-01-10",
        "wilayah": wilayah,
    }
    return ctx.new_doc("Kejadian Bencana", {**base, **values}).insert()


def korban(ctx, kejadian_name, **values):
    return ctx.new_doc(
        "Korban Bencana", {"kejadian": kejadian_name, "nama": "Korban", **values}
    ).insert()


def kebutuhan(item, jumlah, satuan, jenis=None):
    return {"item": item, "jumlah": jumlah, "satuan": satuan, "jenis": jenis}


def penyaluran(ctx, kejadian_name, items, **values):
    return ctx.new_doc(
        "Penyaluran Bantuan", {"kejadian": kejadian_name, "items": items, **values}
    ).insert()


def item(name, jumlah, satuan, **extra):
    return {"item": name, "satuan": satuan, "jumlah_disalurkan": jumlah, **extra}


def counts(ctx, name):
    return ctx.get_value(
        "Kejadian Bencana",
        name,
        [
            "jumlah_korban",
            "jumlah_mengungsi",
            "jumlah_meninggal",
            "jumlah_hilang",
            "jumlah_luka",
            "jumlah_rentan",
        ],
        as_dict=True,
    )


# -- victims ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lahir", "umur", "balita", "anak", "lansia"),
    [
        ("2023-03-01", 2, 1, 1, 0),
        ("2021-01-11", 4, 1, 1, 0),  # fifth birthday is the day after the kejadian
        ("2021-01-10", 5, 0, 1, 0),  # fifth birthday on the day of the kejadian
        ("2008-01-11", 17, 0, 1, 0),
        ("2008-01-10", 18, 0, 0, 0),
        ("1966-01-11", 59, 0, 0, 0),
        ("1966-01-10", 60, 0, 0, 1),
    ],
)
def test_age_on_the_day_of_the_kejadian_sets_the_flags(ctx, lahir, umur, balita, anak, lansia):
    k = kejadian(ctx)
    v = korban(ctx, k.name, tanggal_lahir=lahir, lansia=1 - lansia, balita=1 - balita)
    assert (v.umur, v.balita, v.anak, v.lansia) == (umur, balita, anak, lansia)
    assert v.kelompok_rentan == int(bool(balita or anak or lansia))
    assert v.wilayah == KOTA  # the kejadian's region when none is given


def test_entered_age_and_manual_flags(ctx):
    k = kejadian(ctx)
    tua = korban(ctx, k.name, umur=72)
    assert (tua.lansia, tua.anak, tua.balita, tua.kelompok_rentan) == (1, 0, 0, 1)
    tanpa_umur = korban(ctx, k.name, anak=1)  # age unknown: the officer's tick is kept
    assert tanpa_umur.umur is None  # an empty age is not age 0 (not a balita)
    assert tanpa_umur.anak == 1 and tanpa_umur.kelompok_rentan == 1
    dewasa = korban(ctx, k.name, umur=30, anak=1, jenis_kelamin="Perempuan", ibu_hamil=1)
    assert (dewasa.anak, dewasa.ibu_hamil, dewasa.kelompok_rentan) == (0, 1, 1)
    biasa = korban(ctx, k.name, umur=30, jenis_kelamin="Laki-laki")
    assert biasa.kelompok_rentan == 0


def test_ibu_hamil_only_for_women(ctx):
    k = kejadian(ctx)
    with pytest.raises(ValidationError) as info:
        with ctx.savepoint():
            korban(ctx, k.name, jenis_kelamin="Laki-laki", ibu_menyusui=1)
    assert info.value.errors[0]["field"] == "ibu_menyusui"


def test_identity_from_penerima_manfaat_and_nik_rules(ctx):
    nik = f"5371014507{secrets.randbelow(90) + 10:02d}{secrets.randbelow(9998) + 1:04d}"
    lahir = f"19{nik[10:12]}-07-05"
    pm = ctx.new_doc(
        "Penerima Manfaat",
        nama_lengkap="Maria Bria",
        nik=nik,
        jenis_kelamin="Perempuan",
        tanggal_lahir=lahir,
        disabilitas="Disabilitas Fisik",
    ).insert()
    k = kejadian(ctx)
    v = korban(ctx, k.name, nama=None, penerima_manfaat=pm.name)
    assert (v.nama, v.nik, v.jenis_kelamin, str(v.tanggal_lahir)) == (
        "Maria Bria",
        nik,
        "Perempuan",
        lahir,
    )
    assert v.disabilitas == 1 and v.kelompok_rentan == 1
    with pytest.raises(ValidationError, match="sudah tercatat"):
        with ctx.savepoint():
            korban(ctx, k.name, nama="Maria B.", nik=nik)
    lain = kejadian(ctx)
    assert korban(ctx, lain.name, nama="Maria Bria", nik=nik).nik == nik  # another event
    with pytest.raises(ValidationError) as info:
        with ctx.savepoint():
            korban(ctx, k.name, nama="Salah", nik="53710105079", jenis_kelamin="Laki-laki")
    assert info.value.errors[0]["field"] == "nik" and "16 digit" in info.value.message


# -- kejadian ---------------------------------------------------------------------------


def test_counts_follow_the_victims(ctx):
    k = kejadian(ctx)
    assert counts(ctx, k.name)["jumlah_korban"] == 0
    a = korban(ctx, k.name, status_pengungsian="Mengungsi", umur=3)
    korban(ctx, k.name, kondisi="Luka Ringan", status_pengungsian="Mengungsi")
    korban(ctx, k.name, kondisi="Luka Berat")
    d = korban(ctx, k.name, kondisi="Meninggal", umur=70)
    korban(ctx, k.name, kondisi="Hilang")
    assert counts(ctx, k.name) == {
        "jumlah_korban": 5,
        "jumlah_mengungsi": 2,
        "jumlah_meninggal": 1,
        "jumlah_hilang": 1,
        "jumlah_luka": 2,
        "jumlah_rentan": 2,
    }
    a.status_pengungsian = "Sudah Kembali"
    a.save()
    assert counts(ctx, k.name)["jumlah_mengungsi"] == 1
    lain = kejadian(ctx)
    d.kejadian = lain.name  # recorded under the wrong event: moved
    d.save()
    assert counts(ctx, k.name)["jumlah_meninggal"] == 0
    assert counts(ctx, k.name)["jumlah_korban"] == 4
    assert counts(ctx, lain.name) == {
        "jumlah_korban": 1,
        "jumlah_mengungsi": 0,
        "jumlah_meninggal": 1,
        "jumlah_hilang": 0,
        "jumlah_luka": 0,
        "jumlah_rentan": 1,
    }
    ctx.delete_doc("Korban Bencana", d.name)
    assert counts(ctx, lain.name)["jumlah_korban"] == 0
    # the counts are computed, never typed in
    doc = ctx.get_doc("Kejadian Bencana", k.name)
    doc.jumlah_korban = 999
    doc.save()
    assert counts(ctx, k.name)["jumlah_korban"] == 4


def test_affected_regions_lie_inside_the_kejadian_region(ctx):
    k = kejadian(ctx, wilayah_terdampak=[{"wilayah": DESA_ALAK}, {"wilayah": "53.71.02"}])
    assert [r.nama_wilayah for r in k.wilayah_terdampak] == ["Namosain", "Maulafa"]
    with pytest.raises(ValidationError, match="tidak berada"):
        with ctx.savepoint():
            kejadian(ctx, wilayah_terdampak=[{"wilayah": "53.01.04"}])
    with pytest.raises(ValidationError, match="selesai"):
        with ctx.savepoint():
            kejadian(ctx, tanggal_selesai="2026-01-01")


# -- needs and distribution -------------------------------------------------------------


def contoh(ctx):
    """Three victims and five distributions; the expected figures are computed by hand in
    test_needs_against_distribution_hand_computed."""
    k = kejadian(ctx)
    a = korban(
        ctx,
        k.name,
        nama="A",
        kebutuhan=[kebutuhan("Beras", 10, "kg", "Makanan"), kebutuhan("Selimut", 2, "lembar")],
    )
    korban(
        ctx,
        k.name,
        nama="B",
        kebutuhan=[kebutuhan("Beras", 5, "kg"), kebutuhan("Air Mineral", 12, "botol")],
    )
    korban(ctx, k.name, nama="C", kebutuhan=[kebutuhan(" beras ", 2.5, "KG")])
    p1 = penyaluran(ctx, k.name, [item("Beras", 10, "kg"), item("Selimut", 2, "lembar")])
    for action in ("Setujui", "Salurkan", "Verifikasi"):
        p1 = apply_workflow(ctx, p1, action)
    p2 = penyaluran(ctx, k.name, [item("Beras", 5, "kg"), item("Air Mineral", 6, "botol")])
    for action in ("Setujui", "Salurkan"):
        p2 = apply_workflow(ctx, p2, action)
    p3 = penyaluran(ctx, k.name, [item("Beras", 2.5, "kg")])
    p4 = penyaluran(ctx, k.name, [item("Beras", 100, "kg", alasan_kelebihan="Stok berlebih")])
    apply_workflow(ctx, p4, "Tolak")
    p5 = penyaluran(ctx, k.name, [item("Masker", 50, "pcs", alasan_kelebihan="Abu vulkanik")])
    for action in ("Setujui", "Salurkan"):
        apply_workflow(ctx, p5, action)
    return k, a, {"p1": p1, "p2": p2, "p3": p3}


def test_needs_against_distribution_hand_computed(ctx):
    """Need: Beras 10 + 5 + 2.5 = 17.5 kg ("beras"/"KG" is the same line), Selimut 2 lembar,
    Air Mineral 12 botol. Handed out (Disalurkan/Diverifikasi): Beras 10 + 5 = 15, Selimut
    2, Air Mineral 6, Masker 50 (no need recorded); planned (Rencana): Beras 2.5; the
    rejected 100 kg counts nowhere. Beras 15 / 17.5 = 85.714…% → 85.71."""
    k, _, docs = contoh(ctx)
    assert docs["p1"].docstatus == 1 and docs["p1"].workflow_state == "Diverifikasi"
    hasil = kebutuhan_vs_penyaluran(ctx, k.name)
    assert hasil == [
        {
            "jenis": "Makanan",
            "item": "Beras",
            "satuan": "kg",
            "kebutuhan": 17.5,
            "direncanakan": 2.5,
            "disalurkan": 15.0,
            "selisih": 2.5,
            "persen": 85.71,
        },
        {
            "jenis": None,
            "item": "Selimut",
            "satuan": "lembar",
            "kebutuhan": 2.0,
            "direncanakan": 0.0,
            "disalurkan": 2.0,
            "selisih": 0.0,
            "persen": 100.0,
        },
        {
            "jenis": None,
            "item": "Air Mineral",
            "satuan": "botol",
            "kebutuhan": 12.0,
            "direncanakan": 0.0,
            "disalurkan": 6.0,
            "selisih": 6.0,
            "persen": 50.0,
        },
        {
            "jenis": None,
            "item": "Masker",
            "satuan": "pcs",
            "kebutuhan": 0.0,
            "direncanakan": 0.0,
            "disalurkan": 50.0,
            "selisih": -50.0,
            "persen": None,
        },
    ]
    # what is still open for a new plan: only Air Mineral (Beras is fully planned)
    assert ambil_kebutuhan(ctx, k.name) == [
        {
            "jenis": None,
            "item": "Air Mineral",
            "satuan": "botol",
            "jumlah_kebutuhan": 6.0,
            "jumlah_disalurkan": 6.0,
        }
    ]

    columns, data, message, chart = laporan.execute(ctx, {"kejadian": k.name})
    assert [c["fieldname"] for c in columns][:2] == ["kejadian", "nama_kejadian"]
    assert [
        (r["item"], r["kebutuhan"], r["disalurkan"], r["selisih"], r["persen"]) for r in data
    ] == [
        ("Beras", 17.5, 15.0, 2.5, 85.71),
        ("Selimut", 2.0, 2.0, 0.0, 100.0),
        ("Air Mineral", 12.0, 6.0, 6.0, 50.0),
        ("Masker", 0.0, 50.0, -50.0, None),
    ]
    assert chart["type"] == "bar"
    assert chart["data"]["labels"][0] == "Beras (kg)"
    assert chart["data"]["datasets"] == [
        {"name": "Kebutuhan", "values": [17.5, 2.0, 12.0, 0.0]},
        {"name": "Disalurkan", "values": [15.0, 2.0, 6.0, 50.0]},
    ]
    assert message.startswith("1 dari 4")


def test_plan_gets_remaining_need_and_needs_a_reason_beyond_it(ctx):
    k = kejadian(ctx)
    a = korban(ctx, k.name, nama="A", kebutuhan=[kebutuhan("Beras", 10, "kg")])
    korban(ctx, k.name, nama="B", kebutuhan=[kebutuhan("Beras", 6, "kg")])
    first = penyaluran(ctx, k.name, [item("Beras", 4, "kg", penerima=a.name)])
    assert first.items[0].jumlah_kebutuhan == 10  # A's own need
    assert first.items[0].nama_penerima == "A"
    second = penyaluran(ctx, k.name, [item("Beras", 12, "kg")])
    assert second.items[0].jumlah_kebutuhan == 12  # 16 − 4 already planned
    with pytest.raises(ValidationError, match="melebihi sisa kebutuhan"):
        with ctx.savepoint():
            penyaluran(ctx, k.name, [item("beras", 1, "kg")])  # nothing left
    with pytest.raises(ValidationError, match="melebihi sisa kebutuhan"):
        with ctx.savepoint():  # two rows of one item share the remaining need (6 for A)
            penyaluran(
                ctx,
                k.name,
                [item("Beras", 4, "kg", penerima=a.name), item("Beras", 3, "kg", penerima=a.name)],
            )
    apply_workflow(ctx, second, "Tolak")  # a rejected plan frees its share
    third = penyaluran(ctx, k.name, [item("Beras", 12, "kg", jumlah_tersedia=20)])
    assert third.items[0].jumlah_kebutuhan == 12
    korban(ctx, k.name, nama="C", kebutuhan=[kebutuhan("Selimut", 9, "lembar")])
    with pytest.raises(ValidationError, match="stok tersedia 3"):
        with ctx.savepoint():  # within the need (9) but beyond the stock
            penyaluran(ctx, k.name, [item("Selimut", 5, "lembar", jumlah_tersedia=3)])
    with pytest.raises(ValidationError, match="sisa kebutuhan 9"):
        with ctx.savepoint():  # the need is the server's figure, not the client's
            penyaluran(ctx, k.name, [item("Selimut", 10, "lembar", jumlah_kebutuhan=99)])
    lebih = penyaluran(
        ctx, k.name, [item("Selimut", 10, "lembar", alasan_kelebihan="Cuaca dingin")]
    )
    assert lebih.items[0].jumlah_kebutuhan == 9 and lebih.total_disalurkan == 10
    lain = kejadian(ctx)
    bukan = korban(ctx, lain.name, nama="Lain")
    with pytest.raises(ValidationError, match="bukan korban"):
        with ctx.savepoint():
            penyaluran(ctx, k.name, [item("Beras", 1, "kg", penerima=bukan.name)])


# -- scope by kabupaten (committed: each user sees the database through its own Context) --


def test_scope_by_kabupaten(site):
    tag = secrets.token_hex(3)
    user = f"bencana.kota.{tag}@uji.id"
    with site.begin() as ctx:
        ctx.new_doc(
            "User",
            email=user,
            first_name="Petugas Kota",
            roles=[{"role": "Petugas Bencana"}],
        ).insert()
        ctx.new_doc("User Permission", user=user, allow="Wilayah", for_value=KOTA).insert()
        kota = kejadian(ctx, KOTA, nama_kejadian=f"Banjir Kota {tag}")
        kab = kejadian(ctx, KAB_KUPANG, nama_kejadian=f"Longsor Kab {tag}")
        korban(ctx, kota.name, nama="Kota", kebutuhan=[kebutuhan("Beras", 4, "kg")])
        korban(ctx, kab.name, nama="Kab", kebutuhan=[kebutuhan("Beras", 9, "kg")])
    try:
        with site.begin(user=user) as ctx:
            seen = ctx.get_list(
                "Kejadian Bencana",
                filters={"nama_kejadian": ["like", f"%{tag}"]},
                pluck="name",
            )
            assert seen == [kota.name]
            assert [
                r["nama"]
                for r in ctx.get_list(
                    "Korban Bencana",
                    filters={"kejadian": ["in", [kota.name, kab.name]]},
                    fields=["nama"],
                )
            ] == ["Kota"]
            assert kebutuhan_vs_penyaluran(ctx, kota.name)[0]["kebutuhan"] == 4
            with pytest.raises(PermissionError_):
                kebutuhan_vs_penyaluran(ctx, kab.name)
            _, data, _, _ = laporan.execute(ctx, {})
            assert {r["kejadian"] for r in data} & {kota.name, kab.name} == {kota.name}
            # the plan may be written for the own region only
            plan = penyaluran(ctx, kota.name, [item("Beras", 4, "kg")])
            assert plan.wilayah == KOTA and plan.items[0].jumlah_kebutuhan == 4
            ctx.rollback()
        with site.begin() as ctx:  # Administrator sees both
            _, data, _, _ = laporan.execute(ctx, {"wilayah": KAB_KUPANG})
            assert {r["kejadian"] for r in data} & {kota.name, kab.name} == {kab.name}
    finally:
        with site.begin() as ctx:
            for name in (kota.name, kab.name):
                for v in ctx.get_all("Korban Bencana", filters={"kejadian": name}, pluck="name"):
                    ctx.delete_doc("Korban Bencana", v)
                ctx.delete_doc("Kejadian Bencana", name)
            for up in ctx.get_all("User Permission", filters={"user": user}, pluck="name"):
                ctx.delete_doc("User Permission", up)
            ctx.delete_doc("User", user)
