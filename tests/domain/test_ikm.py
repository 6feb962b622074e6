"""IKM / SKM per PermenPANRB 14/2017 (spm_rules.md §3): 9 unsur, scale 1–4, exact 1/9 weights,
× 25, rounded only at the end (2 decimals, half up); mutu/kinerja on the rounded value:
25.00–64.99 D Tidak Baik; 65.00–76.60 C Kurang Baik; 76.61–88.30 B Baik; 88.31–100.00 A
Sangat Baik.

Zero matching responses is not an error: jumlah_responden 0 and nrr/ikm/mutu/kinerja None
(an empty period or wilayah is a normal, displayable answer).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.mutu.api import hitung_ikm
from layanan_sosial.mutu.ikm import UNSUR, grade, hitung

# Hand-computed example (rows = respondents, columns u1..u9)
CONTOH = [
    [4, 4, 3, 3, 4, 3, 4, 2, 3],
    [3, 4, 4, 2, 3, 3, 4, 3, 3],
    [4, 3, 3, 3, 4, 4, 4, 3, 2],
]


def jawaban(values: list[int], **extra) -> dict:
    return {**dict(zip(UNSUR, values, strict=True)), **extra}


def rows_with_total(n: int, total: int) -> list[dict]:
    """n respondents whose 9n answers (each 1–4) sum to `total`."""
    answers = [1] * (9 * n)
    rest = total - 9 * n
    for i in range(len(answers)):
        step = min(3, rest)
        answers[i] += step
        rest -= step
    assert rest == 0
    return [jawaban(answers[i * 9 : i * 9 + 9]) for i in range(n)]


def test_hand_computed_example():
    """Column sums: u1 11, u2 11, u3 10, u4 8, u5 11, u6 10, u7 12, u8 8, u9 8 (total 89).
    NRR = sum / 3: 3.6667, 3.6667, 3.3333, 2.6667, 3.6667, 3.3333, 4, 2.6667, 2.6667.
    SKM = (89/3) × 1/9 = 89/27 = 3.296296…; IKM = 89/27 × 25 = 2225/27 = 82.4074… → 82.41,
    B (76.61–88.30), Baik. (With the weight rounded to 0.111 one would get 82.33: wrong.)
    """
    hasil = hitung(jawaban(r) for r in CONTOH)
    assert hasil == {
        "jumlah_responden": 3,
        "nrr": [3.6667, 3.6667, 3.3333, 2.6667, 3.6667, 3.3333, 4.0, 2.6667, 2.6667],
        "nilai_indeks": 3.2963,
        "ikm": 82.41,
        "mutu": "B",
        "kinerja": "Baik",
    }


@pytest.mark.parametrize(
    ("ikm", "mutu", "kinerja"),
    [
        ("25.00", "D", "Tidak Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("76.61", "B", "Baik"),
        ("88.30", "B", "Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("100.00", "A", "Sangat Baik"),
    ],
)
def test_grade_boundaries_as_the_regulation_gives_them(ikm, mutu, kinerja):
    assert grade(Decimal(ikm)) == (mutu, kinerja)


@pytest.mark.parametrize(
    ("n", "total", "ikm", "mutu"),
    [
        # IKM = 25 × total / (9 n), exact; rounded half up to 2 decimals
        (5, 116, 64.44, "D"),  # 2900/45 = 64.444…
        (5, 117, 65.00, "C"),  # 2925/45 = 65 exactly
        (26, 717, 76.60, "C"),  # 17925/234 = 76.6026…
        (19, 524, 76.61, "B"),  # 13100/171 = 76.6082… (rounds up into B)
        (19, 604, 88.30, "B"),  # 15100/171 = 88.3041…
        (24, 763, 88.31, "A"),  # 19075/216 = 88.3102…
        (2, 18, 25.00, "D"),  # all 1
        (2, 72, 100.00, "A"),  # all 4
    ],
)
def test_boundaries_from_data(n, total, ikm, mutu):
    hasil = hitung(rows_with_total(n, total))
    assert (hasil["jumlah_responden"], hasil["ikm"], hasil["mutu"]) == (n, ikm, mutu)


def test_zero_responses_is_a_clear_answer():
    assert hitung([]) == {
        "jumlah_responden": 0,
        "nrr": None,
        "nilai_indeks": None,
        "ikm": None,
        "mutu": None,
        "kinerja": None,
    }


# -- through the Survei Kepuasan DocType (both backends) -------------------------------


def simpan(ctx, values: list[int], **extra):
    return ctx.new_doc("Survei Kepuasan", **jawaban(values, **extra)).insert()


def test_filters_count_only_matching_responses(ctx):
    for r in CONTOH:
        simpan(ctx, r, wilayah="53.71", layanan="Uji IKM")
    simpan(ctx, [1] * 9, wilayah="53.01", layanan="Uji IKM")
    simpan(ctx, [1] * 9, wilayah="53.71", layanan="Lain", saran="Antrean terlalu lama")
    hasil = hitung_ikm(ctx, filters={"wilayah": "53.71", "layanan": "Uji IKM"})
    assert (hasil["jumlah_responden"], hasil["ikm"], hasil["mutu"]) == (3, 82.41, "B")
    semua = hitung_ikm(ctx, filters=[["layanan", "in", ["Uji IKM", "Lain"]]])
    # total 89 + 9 + 9 = 107 over 5 respondents: 25 × 107 / 45 = 59.444… → 59.44 D
    assert (semua["jumlah_responden"], semua["ikm"], semua["mutu"]) == (5, 59.44, "D")
    kosong = hitung_ikm(ctx, filters='[["wilayah", "=", "99.99"]]')
    assert kosong["jumlah_responden"] == 0 and kosong["ikm"] is None


@pytest.mark.parametrize("bad", [0, 5, "x", -1, None])
def test_bad_u_values_refused(ctx, bad):
    values = jawaban([3] * 9)
    values["u4"] = bad
    before = ctx.get_count("Survei Kepuasan")
    with pytest.raises(ValidationError):
        with ctx.savepoint():
            ctx.new_doc("Survei Kepuasan", **values).insert()
    assert ctx.get_count("Survei Kepuasan") == before


def test_guest_may_answer_the_public_survey(http, site):
    created = http.post(
        "/api/resource/Survei Kepuasan", json=jawaban([4] * 9, layanan="Publik", saran="Baik")
    )
    assert created.status_code == 200, created.text
    name = created.json()["data"]["name"]
    changed = http.put(f"/api/resource/Survei Kepuasan/{name}", json={"u1": 1})
    assert changed.status_code in (403, 404)
    with site.begin() as ctx:
        assert ctx.get_value("Survei Kepuasan", name, "u1") == 4
        ctx.delete_doc("Survei Kepuasan", name)


def test_over_rest(http, admin_auth, site):
    with site.begin() as ctx:
        for r in CONTOH:
            simpan(ctx, r, layanan="REST IKM")
    url = "/api/method/layanan_sosial.mutu.api.hitung_ikm"
    try:
        got = http.get(url, params={"filters": '[["layanan","=","REST IKM"]]'}, headers=admin_auth)
        assert got.status_code == 200, got.text
        message = got.json()["message"]
        assert (message["jumlah_responden"], message["ikm"], message["mutu"]) == (3, 82.41, "B")
        assert message["kinerja"] == "Baik" and len(message["nrr"]) == 9
        posted = http.post(url, json={"filters": {"layanan": "REST kosong"}}, headers=admin_auth)
        assert posted.json()["message"]["jumlah_responden"] == 0
        bad = http.post(
            "/api/resource/Survei Kepuasan", json=jawaban([3] * 8 + [5]), headers=admin_auth
        )
        assert bad.status_code == 417 and bad.json()["_field_errors"][0]["field"] == "u9"
    finally:
        with site.begin() as ctx:
            for name in ctx.get_all(
                "Survei Kepuasan", filters={"layanan": "REST IKM"}, pluck="name"
            ):
                ctx.delete_doc("Survei Kepuasan", name)
