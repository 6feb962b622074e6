"""Script Report "IKM per Unit dan Layanan": each group's IKM computed over its own
responses with mutu.ikm (PermenPANRB 14/2017), figures checked by hand as in test_ikm.py."""

from __future__ import annotations

import secrets

import pytest

from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.mutu.ikm import UNSUR
from layanan_sosial.mutu.report.ikm_per_unit_dan_layanan import ikm_per_unit_dan_layanan as laporan

# the hand-computed example of test_ikm.py: IKM 2225/27 = 82.4074… → 82.41 B Baik
CONTOH = [
    [4, 4, 3, 3, 4, 3, 4, 2, 3],
    [3, 4, 4, 2, 3, 3, 4, 3, 3],
    [4, 3, 3, 3, 4, 4, 4, 3, 2],
]
# two "all 4" and one "all 1": total 81 over 3 → NRR 3 each, IKM 25 × 81 / 27 = 75.00 C
CAMPUR = [[4] * 9, [4] * 9, [1] * 9]


def simpan(ctx, values, **extra):
    return ctx.new_doc("Survei Kepuasan", **dict(zip(UNSUR, values, strict=True)), **extra).insert()


@pytest.fixture
def unit():
    return f"Dinsos Uji {secrets.token_hex(3)}"


def test_per_unit_and_service_hand_computed(ctx, unit):
    for r in CONTOH:
        simpan(ctx, r, unit=unit, layanan="Rehabilitasi Sosial", tanggal="2026-02-01")
    for r in CAMPUR:
        simpan(ctx, r, unit=unit, layanan="Bantuan Bencana", tanggal="2026-02-15")
    simpan(ctx, [4] * 9, unit="Unit Lain", layanan="Bantuan Bencana", tanggal="2026-02-15")

    columns, data, message, chart = laporan.execute(ctx, {"unit": unit})
    assert [c["fieldname"] for c in columns][:3] == ["unit", "layanan", "jumlah_responden"]
    assert [c["fieldname"] for c in columns][-4:] == ["nilai_indeks", "ikm", "mutu", "kinerja"]
    assert data == [
        {
            "unit": unit,
            "layanan": "Bantuan Bencana",
            "jumlah_responden": 3,
            **{f"nrr_{u}": 3.0 for u in UNSUR},
            "nilai_indeks": 3.0,
            "ikm": 75.0,
            "mutu": "C",
            "kinerja": "Kurang Baik",
        },
        {
            "unit": unit,
            "layanan": "Rehabilitasi Sosial",
            "jumlah_responden": 3,
            **dict(
                zip(
                    (f"nrr_{u}" for u in UNSUR),
                    [3.6667, 3.6667, 3.3333, 2.6667, 3.6667, 3.3333, 4.0, 2.6667, 2.6667],
                    strict=True,
                )
            ),
            "nilai_indeks": 3.2963,
            "ikm": 82.41,
            "mutu": "B",
            "kinerja": "Baik",
        },
    ]
    # overall over the 6 responses, not the mean of the two IKM values:
    # total 89 + 81 = 170 → 25 × 170 / 54 = 78.7037… → 78.70 B (the mean would be 78.705)
    assert message == "IKM keseluruhan: 78.70 (mutu B, Baik) dari 6 responden."
    assert chart == {
        "data": {
            "labels": [f"{unit} / Bantuan Bencana", f"{unit} / Rehabilitasi Sosial"],
            "datasets": [{"name": "IKM", "values": [75.0, 82.41]}],
        },
        "type": "bar",
    }

    # by service only: "Bantuan Bencana" now holds the other unit's answer too
    _, per_layanan, _, _ = laporan.execute(
        ctx, {"kelompok": "Layanan", "layanan": "Bantuan Bencana", "sampai_tanggal": "2026-02-28"}
    )
    # total 81 + 36 = 117 over 4 → 25 × 117 / 36 = 81.25 B
    assert [(r["layanan"], r["jumlah_responden"], r["ikm"], r["mutu"]) for r in per_layanan] == [
        ("Bantuan Bencana", 4, 81.25, "B")
    ]
    # the date range keeps only February 1st
    _, awal, _, _ = laporan.execute(
        ctx, {"unit": unit, "dari_tanggal": "2026-02-01", "sampai_tanggal": "2026-02-10"}
    )
    assert [(r["layanan"], r["ikm"]) for r in awal] == [("Rehabilitasi Sosial", 82.41)]


def test_empty_and_bad_grouping(ctx, unit):
    columns, data, message, chart = laporan.execute(ctx, {"unit": unit})
    assert data == [] and chart is None and "Belum ada" in message
    assert columns  # the table header is still described
    with pytest.raises(ValidationError, match="Kelompok"):
        laporan.execute(ctx, {"kelompok": "Provinsi"})


def test_missing_unit_is_its_own_group(ctx, unit):
    simpan(ctx, [3] * 9, layanan=unit)
    _, data, _, _ = laporan.execute(ctx, {"layanan": unit})
    assert [(r["unit"], r["ikm"], r["mutu"]) for r in data] == [("(tidak diisi)", 75.0, "C")]
