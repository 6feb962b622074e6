"""The SPM achievement index (nilai capaian) and its category, in exact decimal arithmetic.

index = bobot_penerima × min(A, 100) + bobot_mutu × min(B, 100)   (spm_rules.md §2.2)
A = % penerima terlayani, B = % mutu minimal terpenuhi; defaults 0.8 / 0.2.

Category (spm_rules.md §2.3, Kemendagri e-SPM labels): the index is rounded to 2 decimals
(ROUND_HALF_UP) first and the *rounded* value is classified, so the reported number and its
category always agree (89.994 → 89.99 Tuntas Madya; 89.995 → 90.00 Tuntas Utama).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from fractions import Fraction
from typing import Any

SERATUS = Decimal(100)
DUA_DESIMAL = Decimal("0.01")
BELUM_TUNTAS = "Belum Tuntas"
BATAS_FIELDS = ("batas_paripurna", "batas_utama", "batas_madya", "batas_pratama", "batas_muda")
LABELS = ("Tuntas Paripurna", "Tuntas Utama", "Tuntas Madya", "Tuntas Pratama", "Tuntas Muda")
DEFAULTS = {
    "bobot_penerima": "0.8",
    "bobot_mutu": "0.2",
    "batas_paripurna": "100",
    "batas_utama": "90",
    "batas_madya": "80",
    "batas_pratama": "70",
    "batas_muda": "60",
}


@dataclass(frozen=True)
class AturanSPM:
    """Weights and bands; `kategori` is (lower bound, label), highest first."""

    bobot_penerima: Decimal
    bobot_mutu: Decimal
    kategori: tuple[tuple[Decimal, str], ...]


def angka(value: Any, field: str) -> Decimal:
    """A finite decimal from a number or a numeric string (floats via their shortest repr)."""
    if isinstance(value, bool) or value is None or value == "":
        raise _error(f"{field} wajib diisi dengan angka", field)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _error(f"{field} harus berupa angka (diterima: {value!r})", field) from None
    if not number.is_finite():
        raise _error(f"{field} harus berupa angka terhingga", field)
    return number


def _error(message: str, field: str) -> Exception:
    from layanan_sosial.core.exceptions import ValidationError

    return ValidationError(message, field=field)


def aturan_dari(values: Any) -> AturanSPM:
    """Rules from a Pengaturan SPM document (or any mapping-like object with `.get`)."""

    def nilai(field: str) -> Decimal:
        raw = values.get(field)
        return angka(DEFAULTS[field] if raw is None else raw, field)

    return AturanSPM(
        bobot_penerima=nilai("bobot_penerima"),
        bobot_mutu=nilai("bobot_mutu"),
        kategori=tuple((nilai(f), label) for f, label in zip(BATAS_FIELDS, LABELS, strict=True)),
    )


ATURAN_BAKU = aturan_dari(DEFAULTS)


def bulatkan(value: Decimal) -> Decimal:
    return value.quantize(DUA_DESIMAL, rounding=ROUND_HALF_UP)


def kategori_untuk(indeks: Decimal, aturan: AturanSPM = ATURAN_BAKU) -> str:
    """The category of an index already rounded to 2 decimals."""
    for batas, label in aturan.kategori:
        if indeks >= batas:
            return label
    return BELUM_TUNTAS


def persen(value: Any, field: str) -> tuple[Decimal, bool]:
    """A percentage in 0..100 and whether it was capped at 100 (negative values refused)."""
    number = angka(value, field)
    if number < 0:
        raise _error(f"{field} tidak boleh negatif", field)
    return min(number, SERATUS), number > SERATUS


def hitung_indeks(
    persen_penerima: Any, persen_mutu: Any, aturan: AturanSPM = ATURAN_BAKU
) -> dict[str, Any]:
    """The pure formula: {indeks (2 decimals), kategori, dibatasi (capped inputs)}."""
    penerima, penerima_dibatasi = persen(persen_penerima, "persen_penerima")
    mutu, mutu_dibatasi = persen(persen_mutu, "persen_mutu")
    indeks = bulatkan(aturan.bobot_penerima * penerima + aturan.bobot_mutu * mutu)
    dibatasi = [
        field
        for field, capped in (
            ("persen_penerima", penerima_dibatasi),
            ("persen_mutu", mutu_dibatasi),
        )
        if capped
    ]
    return {"indeks": indeks, "kategori": kategori_untuk(indeks, aturan), "dibatasi": dibatasi}


# -- from counts (hitung_capaian) --------------------------------------------------------


def _desimal(value: Fraction) -> Decimal:
    """A fraction as a decimal with 50 significant digits: exact for every value that can
    sit on a rounding boundary (those terminate), so rounding to 2 decimals is exact."""
    with localcontext() as context:
        context.prec = 50
        return Decimal(value.numerator) / Decimal(value.denominator)


def hasil_capaian(
    jumlah_sasaran: int,
    jumlah_terlayani: int,
    item_wajib: int,
    item_terpenuhi: int,
    aturan: AturanSPM = ATURAN_BAKU,
) -> dict[str, Any]:
    """The achievement of one service type from counts, in exact arithmetic.

    A = terlayani ÷ sasaran × 100 and B = items fulfilled ÷ items required × 100, each capped
    at 100; indeks = bobot_penerima × A + bobot_mutu × B, rounded (half up) to 2 decimals
    only at the end, then classified. A zero target means nobody needed the service: A = 100
    (and B = 100 when no item was required either); items required by nobody served give
    B = 0. Reported percentages are the capped values rounded to 2 decimals.
    """
    for field, value in (
        ("jumlah_sasaran", jumlah_sasaran),
        ("jumlah_terlayani", jumlah_terlayani),
        ("item_wajib", item_wajib),
        ("item_terpenuhi", item_terpenuhi),
    ):
        if value < 0:
            raise _error(f"{field} tidak boleh negatif", field)
    a = Fraction(100) if jumlah_sasaran == 0 else Fraction(100 * jumlah_terlayani, jumlah_sasaran)
    if item_wajib:
        b = Fraction(100 * item_terpenuhi, item_wajib)
    else:
        b = Fraction(100) if jumlah_sasaran == 0 else Fraction(0)
    dibatasi = [f for f, v in (("persen_penerima", a), ("persen_mutu", b)) if v > 100]
    a, b = min(a, Fraction(100)), min(b, Fraction(100))
    exact = Fraction(aturan.bobot_penerima) * a + Fraction(aturan.bobot_mutu) * b
    indeks = bulatkan(_desimal(exact))
    return {
        "jumlah_sasaran": jumlah_sasaran,
        "jumlah_terlayani": jumlah_terlayani,
        "jumlah_item_wajib": item_wajib,
        "jumlah_item_terpenuhi": item_terpenuhi,
        "persen_penerima": bulatkan(_desimal(a)),
        "persen_mutu": bulatkan(_desimal(b)),
        "indeks": indeks,
        "kategori": kategori_untuk(indeks, aturan),
        "dibatasi": dibatasi,
    }
