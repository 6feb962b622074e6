"""Indeks Kepuasan Masyarakat (IKM/SKM) per PermenPANRB 14/2017, in exact fractions.

See spm_rules.md §3:
- 9 unsur in the regulation's order (u1 Persyaratan … u8 Penanganan Pengaduan, u9 Sarana),
  each answered on a 1–4 scale;
- NRR per unsur = Σ nilai ÷ jumlah responden;
- SKM (1–4) = Σ NRR × 1/9 (exact, never 0.111); IKM = SKM × 25, rounded only at the end
  to 2 decimals (half up);
- mutu/kinerja on the rounded IKM: < 65.00 D Tidak Baik; < 76.61 C Kurang Baik;
  < 88.31 B Baik; otherwise A Sangat Baik (NIK table 25.00–64.99 / 65.00–76.60 /
  76.61–88.30 / 88.31–100.00).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

UNSUR = tuple(f"u{i}" for i in range(1, 10))
NILAI_MIN, NILAI_MAKS = 1, 4
KONVERSI = 25
# (lower bound of the rounded IKM, mutu, kinerja), highest first
GRADES = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)


def nilai_unsur(value: Any, field: str) -> int:
    """One answer as an int in 1..4, or a ValidationError naming the field."""
    from layanan_sosial.core.exceptions import ValidationError

    if isinstance(value, bool) or value is None:
        raise ValidationError(f"{field.upper()} wajib diisi dengan nilai 1–4", field=field)
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(
            f"{field.upper()} harus berupa bilangan bulat 1–4 (diterima: {value!r})", field=field
        ) from None
    if not NILAI_MIN <= number <= NILAI_MAKS:
        raise ValidationError(
            f"{field.upper()} harus bernilai 1–4 (diterima: {number})", field=field
        )
    return number


def bulatkan(value: Fraction, digits: int = 2) -> Decimal:
    """Exact half-up rounding of a non-negative fraction."""
    scale = 10**digits
    return Decimal(math.floor(value * scale + Fraction(1, 2))) / scale


def grade(ikm: Decimal) -> tuple[str, str]:
    """(mutu, kinerja) of an IKM already rounded to 2 decimals."""
    for batas, mutu, kinerja in GRADES:
        if ikm >= batas:
            return mutu, kinerja
    return GRADES[-1][1], GRADES[-1][2]


def hitung(responses: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """IKM over responses with u1..u9. Zero responses → jumlah_responden 0 and None values."""
    rows = [[nilai_unsur(row.get(u), u) for u in UNSUR] for row in responses]
    n = len(rows)
    if n == 0:
        return {
            "jumlah_responden": 0,
            "nrr": None,
            "nilai_indeks": None,
            "ikm": None,
            "mutu": None,
            "kinerja": None,
        }
    nrr = [Fraction(sum(column), n) for column in zip(*rows, strict=True)]
    skm = sum(nrr, Fraction(0)) / len(UNSUR)
    ikm = bulatkan(skm * KONVERSI)
    mutu, kinerja = grade(ikm)
    return {
        "jumlah_responden": n,
        "nrr": [float(bulatkan(v, 4)) for v in nrr],  # display only (4 decimals)
        "nilai_indeks": float(bulatkan(skm, 4)),  # SKM on the 1–4 scale, display only
        "ikm": float(ikm),
        "mutu": mutu,
        "kinerja": kinerja,
    }
