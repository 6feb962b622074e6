"""NIK rules (spm_rules.md §5.1) and near-duplicate name normalisation.

NIK = PP KK CC DDMMYY SSSS: province, kab/kota, kecamatan of first registration (Kemendagri
codes), birth date with DD + 40 for women, serial ≠ 0000. The region prefix is not the
current domicile, so only the province part is checked (11–96, any Kemendagri province).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from layanan_sosial.core.exceptions import ValidationError

LAKI_LAKI = "Laki-laki"
PEREMPUAN = "Perempuan"

_TITLES = {
    "dr", "drs", "dra", "ir", "h", "hj", "prof", "st", "sh", "se", "spd", "skm", "sked",
    "amd", "mm", "msi", "ssos", "spsi", "bapak", "bpk", "ibu", "sdr", "sdri", "tn", "ny", "nn",
}  # fmt: skip


def _error(message: str) -> ValidationError:
    return ValidationError(message, field="nik")


def validate_nik(
    nik: str | None, jenis_kelamin: str | None = None, tanggal_lahir: date | str | None = None
) -> str:
    """Check a NIK and return it (stripped); raise ValidationError(field="nik") in Indonesian."""
    value = (nik or "").strip()
    if not value.isdigit() or not value.isascii():
        raise _error("NIK hanya boleh berisi angka")
    if len(value) != 16:
        raise _error(f"NIK harus 16 digit (tertulis {len(value)} digit)")
    provinsi = int(value[:2])
    if not 11 <= provinsi <= 96:
        raise _error(f"Kode provinsi NIK '{value[:2]}' tidak dikenal")
    if value[2:4] == "00" or value[4:6] == "00":
        raise _error("Kode kabupaten/kota dan kecamatan pada NIK tidak boleh 00")
    if value[12:] == "0000":
        raise _error("Nomor urut NIK tidak boleh 0000")
    hari, bulan, tahun = int(value[6:8]), int(value[8:10]), int(value[10:12])
    perempuan = hari > 40
    if perempuan:
        hari -= 40
    lahir = _as_date(tanggal_lahir)
    abad = (lahir.year // 100) * 100 if lahir else 2000
    try:
        tanggal_nik = date(abad + tahun, bulan, hari)
    except ValueError:
        try:  # 29 February: the year may be a leap year only in the other century
            tanggal_nik = date(abad - 100 + tahun, bulan, hari) if not lahir else None
        except ValueError:
            tanggal_nik = None
        if tanggal_nik is None:
            raise _error(
                "Bagian tanggal lahir pada NIK (digit 7–12) bukan tanggal yang sah"
            ) from None
    if jenis_kelamin == PEREMPUAN and not perempuan:
        raise _error("NIK perempuan: tanggal lahir pada NIK harus ditambah 40 (41–71)")
    if jenis_kelamin == LAKI_LAKI and perempuan:
        raise _error("NIK laki-laki tidak boleh memiliki tanggal lahir 41–71 (itu kode perempuan)")
    if lahir and (lahir.day, lahir.month, lahir.year % 100) != (hari, bulan, tahun):
        raise _error(
            f"Tanggal lahir pada NIK ({hari:02d}-{bulan:02d}-{tahun:02d}) tidak sesuai dengan "
            f"tanggal lahir {lahir:%d-%m-%Y}"
        )
    return value


def _as_date(value: date | str | None) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def normalise_name(name: str | None) -> str:
    """Lower-case, accents, punctuation and titles dropped (and degrees after a comma),
    spaces collapsed."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.split(",")[0]  # degrees follow a comma: "Maria Goreti, S.Pd"
    text = re.sub(r"[^\w\s]", " ", text).replace("_", " ")
    words = [w for w in text.split() if w not in _TITLES]
    return " ".join(words)


def mask_nik(nik: str | None) -> str | None:
    """The NIK as shown to everyone: region code (6 digits) and the last 4 digits, the date
    of birth and sex in between hidden — "530104******0012"."""
    if not nik:
        return None
    return nik[:6] + "*" * (len(nik) - 10) + nik[-4:] if len(nik) > 10 else "*" * len(nik)
