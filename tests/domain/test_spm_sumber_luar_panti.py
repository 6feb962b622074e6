"""SPM achievement outside panti, from the other modules' sources — computed by hand:

K1 (disabilitas telantar di luar panti), year T, Target SPM Kota Kupang 53.71 → 4 people.
Direct services of cases (Layanan Langsung Kasus, tagged K1 and an item code):
  person A, case a (Maulafa):  T-02-10 K1.01, K1.02;  T-05-03 K1.01 (again), K1.03
  person A, case d (Maulafa):  T-03-20 K1.04
  person B, case b (Alak):     T-02-11 no item code (served, no standard item)
  person C, case c (Kab. Kupang, outside the city): T-02-12 K1.01
TW1: served {A, B} = 2 → 2/4 = 50 %; items A {01, 02, 04} = 3 of 12, B 0 of 12 → 3/24 = 12.5 %
     index = 0.8 × 50 + 0.2 × 12.5 = 42.5 → Belum Tuntas
TW2 (year to date): served {A, B} = 2 → 50 %; A {01..04} = 4, B 0 → 4/24 = 16.666… %
     index = 40 + 3.333… = 43.33

K5 (korban bencana kabupaten/kota), a flood in Kota Kupang (level Kabupaten/Kota), target 2.
Handed-out distributions (Disalurkan), item rows to named victims:
  X (no Penerima Manfaat): Makanan, Sandang;  Y (registered): Makanan
  a plan still in Rencana gives Y Sandang — not handed out, not counted
served {X, Y} = 2 → 100 %; items X 2 of 5, Y 1 of 5 → 3/10 = 30 %
index = 80 + 6 = 86 → Tuntas Madya
"""

from __future__ import annotations

import random
import secrets

import pytest

from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.spm.api import hitung_capaian

KOTA = "53.71"
MAULAFA, ALAK, KAB_DESA = "53.71.02.1001", "53.71.01.1001", "53.01.04.2003"


def _penerima(ctx, wilayah):
    return ctx.new_doc(
        "Penerima Manfaat", nama_lengkap=f"Warga {secrets.token_hex(3)}", wilayah=wilayah
    ).insert()


def _kasus(ctx, penerima, wilayah, layanan):
    rows = [
        {"tanggal": tanggal, "jenis_layanan": "Pendampingan", "jenis_layanan_spm": "K1"}
        | ({"kode_item_spm": kode} if kode else {})
        for tanggal, kode in layanan
    ]
    return ctx.new_doc(
        "Kasus", penerima_manfaat=penerima.name, wilayah=wilayah, layanan=rows
    ).insert()


@pytest.fixture
def tahun(ctx):
    return random.randint(2030, 2099)


def test_direct_services_of_cases_count_for_k1(ctx, tahun):
    ctx.new_doc(
        "Target SPM", tahun=tahun, wilayah=KOTA, jenis_layanan_spm="K1", jumlah_sasaran=4
    ).insert()
    a, b, c = _penerima(ctx, MAULAFA), _penerima(ctx, ALAK), _penerima(ctx, KAB_DESA)
    _kasus(
        ctx,
        a,
        MAULAFA,
        [
            (f"{tahun}-02-10", "K1.01"),
            (f"{tahun}-02-10", "K1.02"),
            (f"{tahun}-05-03", "K1.01"),
            (f"{tahun}-05-03", "K1.03"),
        ],
    )
    _kasus(ctx, a, MAULAFA, [(f"{tahun}-03-20", "K1.04")])
    _kasus(ctx, b, ALAK, [(f"{tahun}-02-11", None)])
    _kasus(ctx, c, KAB_DESA, [(f"{tahun}-02-12", "K1.01")])

    tw1 = hitung_capaian(ctx, tahun, "K1", KOTA, triwulan=1)
    assert (tw1["jumlah_sasaran"], tw1["jumlah_terlayani"]) == (4, 2)
    assert (tw1["persen_penerima"], tw1["persen_mutu"]) == (50.0, 12.5)
    assert (tw1["indeks"], tw1["kategori"]) == (42.5, "Belum Tuntas")
    tw2 = hitung_capaian(ctx, tahun, "K1", KOTA, triwulan=2)
    assert tw2["jumlah_terlayani"] == 2
    assert (tw2["persen_mutu"], tw2["indeks"]) == (16.67, 43.33)


def test_an_item_code_must_belong_to_the_service(ctx, tahun):
    orang = _penerima(ctx, MAULAFA)
    with pytest.raises(ValidationError) as info:
        _kasus(ctx, orang, MAULAFA, [(f"{tahun}-02-10", "K2.01")])
    assert info.value.field == "layanan" and "K2.01" in str(info.value)


def test_aid_handed_to_named_victims_counts_for_k5(ctx, tahun):
    ctx.new_doc(
        "Target SPM", tahun=tahun, wilayah=KOTA, jenis_layanan_spm="K5", jumlah_sasaran=2
    ).insert()
    banjir = ctx.new_doc(
        "Kejadian Bencana",
        nama_kejadian=f"Banjir {secrets.token_hex(3)}",
        jenis_bencana="Banjir",
        tingkat="Kabupaten/Kota",
        tanggal_kejadian=f"{tahun}-02-25",
        wilayah=KOTA,
    ).insert()
    x = ctx.new_doc("Korban Bencana", kejadian=banjir.name, nama="X", wilayah=ALAK).insert()
    y = ctx.new_doc(
        "Korban Bencana",
        kejadian=banjir.name,
        nama="Y",
        wilayah=MAULAFA,
        penerima_manfaat=_penerima(ctx, MAULAFA).name,
    ).insert()

    def salurkan(items, state):
        doc = ctx.new_doc(
            "Penyaluran Bantuan",
            kejadian=banjir.name,
            tanggal=f"{tahun}-03-01",
            items=[
                {
                    "jenis": jenis,
                    "item": jenis,
                    "satuan": "paket",
                    "jumlah_disalurkan": 1,
                    "penerima": korban.name,
                    "alasan_kelebihan": "uji",
                }
                for korban, jenis in items
            ],
        ).insert()
        # the workflow is tested in test_bencana*; here only the state matters
        doc.db_set("workflow_state", state)

    salurkan([(x, "Makanan"), (x, "Sandang"), (y, "Makanan")], "Disalurkan")
    salurkan([(y, "Sandang")], "Rencana")

    hasil = hitung_capaian(ctx, tahun, "K5", KOTA)
    assert (hasil["jumlah_sasaran"], hasil["jumlah_terlayani"]) == (2, 2)
    assert (hasil["persen_penerima"], hasil["persen_mutu"]) == (100.0, 30.0)
    assert (hasil["indeks"], hasil["kategori"]) == (86.0, "Tuntas Madya")
    # a provincial target counts province-level events only (P5): this flood is not one
    ctx.new_doc(
        "Target SPM", tahun=tahun, wilayah="53", jenis_layanan_spm="P5", jumlah_sasaran=10
    ).insert()
    assert hitung_capaian(ctx, tahun, "P5", "53")["jumlah_terlayani"] == 0
