"""SPM achievement index: indeks = 0.8 × A + 0.2 × B (A, B capped at 100), 10-point bands.

Sources: spm_rules.md §2.2 (80/20 weights, SECONDARY: several e-SPM implementations agree)
and §2.3 (Tuntas Paripurna 100 / Utama ≥ 90 / Madya ≥ 80 / Pratama ≥ 70 / Muda ≥ 60 /
Belum Tuntas, Kemendagri labels). The index is rounded to 2 decimals (half up) and the
rounded value is classified, so the number shown and its category always agree: an index
of 89.999 is reported as 90.00 Tuntas Utama, 89.994 as 89.99 Tuntas Madya.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.spm.api import indeks_capaian
from layanan_sosial.spm.capaian import ATURAN_BAKU, aturan_dari, hitung_indeks

D = Decimal


@pytest.mark.parametrize(
    ("a", "b", "indeks", "kategori"),
    [
        # hand computation: 0.8 × a + 0.2 × b
        (100, 100, "100.00", "Tuntas Paripurna"),  # 80 + 20
        (100, 99.99, "100.00", "Tuntas Paripurna"),  # 80 + 19.998 = 99.998 → 100.00
        (100, 99.9, "99.98", "Tuntas Utama"),  # 80 + 19.98
        (90, 90, "90.00", "Tuntas Utama"),  # 72 + 18
        (100, 50, "90.00", "Tuntas Utama"),  # 80 + 10
        ("89.999", 90, "90.00", "Tuntas Utama"),  # 71.9992 + 18 = 89.9992 → 90.00 (rounded first)
        ("89.999", "89.999", "90.00", "Tuntas Utama"),  # index 89.999 → 90.00
        (89.99, 90, "89.99", "Tuntas Madya"),  # 71.992 + 18 = 89.992
        ("89.995", "89.995", "90.00", "Tuntas Utama"),  # 89.995 exactly → half up → 90.00
        ("89.994", "89.994", "89.99", "Tuntas Madya"),
        (80, 80, "80.00", "Tuntas Madya"),
        (79.99, 80, "79.99", "Tuntas Pratama"),  # 63.992 + 16
        (70, 70, "70.00", "Tuntas Pratama"),
        (70, 69.9, "69.98", "Tuntas Muda"),  # 56 + 13.98
        (60, 60, "60.00", "Tuntas Muda"),
        (59.99, 60, "59.99", "Belum Tuntas"),  # 47.992 + 12
        (0, 0, "0.00", "Belum Tuntas"),
        (50, 100, "60.00", "Tuntas Muda"),  # 40 + 20
    ],
)
def test_bands_at_every_boundary(a, b, indeks, kategori):
    hasil = hitung_indeks(a, b)
    assert (hasil["indeks"], hasil["kategori"]) == (D(indeks), kategori)


def test_inputs_above_100_are_capped_and_reported():
    hasil = hitung_indeks(150, 100)
    assert hasil == {
        "indeks": D("100.00"),
        "kategori": "Tuntas Paripurna",
        "dibatasi": ["persen_penerima"],
    }
    hasil = hitung_indeks(85, "250")  # 68 + 20 = 88
    assert (hasil["indeks"], hasil["kategori"], hasil["dibatasi"]) == (
        D("88.00"),
        "Tuntas Madya",
        ["persen_mutu"],
    )


@pytest.mark.parametrize(
    ("a", "b", "field"),
    [
        (-1, 50, "persen_penerima"),
        (50, "x", "persen_mutu"),
        (None, 50, "persen_penerima"),
        (50, "nan", "persen_mutu"),
    ],
)
def test_bad_inputs_refused(a, b, field):
    with pytest.raises(ValidationError) as info:
        hitung_indeks(a, b)
    assert info.value.field == field


def test_defaults_match_reference():
    assert ATURAN_BAKU.bobot_penerima == D("0.8") and ATURAN_BAKU.bobot_mutu == D("0.2")
    assert [(float(b), label) for b, label in ATURAN_BAKU.kategori] == [
        (100.0, "Tuntas Paripurna"),
        (90.0, "Tuntas Utama"),
        (80.0, "Tuntas Madya"),
        (70.0, "Tuntas Pratama"),
        (60.0, "Tuntas Muda"),
    ]


# -- through the site's Pengaturan SPM (both backends) ---------------------------------


def test_site_defaults(ctx):
    assert indeks_capaian(ctx, persen_penerima=100, persen_mutu=100) == {
        "indeks": 100.0,
        "kategori": "Tuntas Paripurna",
        "dibatasi": [],
    }
    assert indeks_capaian(ctx, persen_penerima="75", persen_mutu="50")["indeks"] == 70.0  # 60 + 10


def test_custom_weights_and_bands_change_the_result(ctx):
    pengaturan = ctx.get_doc("Pengaturan SPM")
    pengaturan.update({"bobot_penerima": 0.7, "bobot_mutu": 0.3, "batas_utama": 85})
    pengaturan.save()
    # 0.7 × 100 + 0.3 × 50 = 85 → Utama under the custom band (Madya by default weights: 90)
    hasil = indeks_capaian(ctx, persen_penerima=100, persen_mutu=50)
    assert hasil == {"indeks": 85.0, "kategori": "Tuntas Utama", "dibatasi": []}
    assert hitung_indeks(100, 50)["indeks"] == D("90.00")  # the pure default is untouched


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"bobot_penerima": 0.8, "bobot_mutu": 0.3}, "bobot_mutu"),
        ({"bobot_penerima": 0.5, "bobot_mutu": 0.4}, "bobot_mutu"),
        ({"bobot_penerima": 1.2, "bobot_mutu": -0.2}, "bobot_penerima"),
        ({"batas_madya": 95}, "batas_utama"),
        ({"batas_muda": 0}, "batas_muda"),
    ],
)
def test_pengaturan_validated(ctx, values, field):
    pengaturan = ctx.get_doc("Pengaturan SPM")
    pengaturan.update(values)
    with pytest.raises(ValidationError) as info:
        pengaturan.save()
    assert info.value.field == field


def test_weights_summing_to_one_in_floats_accepted(ctx):
    pengaturan = ctx.get_doc("Pengaturan SPM")
    pengaturan.update({"bobot_penerima": 0.7, "bobot_mutu": 0.3})  # 0.7 + 0.3 != 1.0 in binary
    pengaturan.save()
    assert aturan_dari(ctx.get_doc("Pengaturan SPM")).bobot_mutu == D("0.3")


def test_over_rest(http, admin_auth):
    url = "/api/method/layanan_sosial.spm.api.indeks_capaian"
    got = http.get(url, params={"persen_penerima": "95", "persen_mutu": "80"}, headers=admin_auth)
    assert got.status_code == 200, got.text
    # 76 + 16 = 92
    assert got.json() == {"message": {"indeks": 92.0, "kategori": "Tuntas Utama", "dibatasi": []}}
    posted = http.post(url, json={"persen_penerima": 120, "persen_mutu": 100}, headers=admin_auth)
    assert posted.json()["message"]["kategori"] == "Tuntas Paripurna"
    bad = http.post(url, json={"persen_penerima": "x", "persen_mutu": 100}, headers=admin_auth)
    assert bad.status_code == 417
