"""The SPM achievement index (nilai capaian) and its category, in exact decimal arithmetic.

index = bobot_penerima × min(A, 100) + bobot_mutu × min(B, 100)   (spm_rules.md §2.2)
A = % penerima terlayani, B = % mutu minimal terpenuhi; defaults 0.8 / 0.2.

Category (spm_rules.md §2.3, Kemendagri e-SPM labels): the index is rounded to 2 decimals
(ROUND_HALF_UP) first and the *rounded* value is classified, so the reported number and its
category always agree (89.994 → 89.99 Tuntas Madya; 89.995 → 90.00 Tuntas Utama).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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
