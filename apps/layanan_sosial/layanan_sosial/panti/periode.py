"""Small date and period helpers shared by the panti controllers (values arrive as dates
or as ISO text, depending on whether they came from the database or a request)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.core.fieldtypes import coerce


def tanggal(value: Any, field: str) -> dt.date | None:
    """A date from a date, datetime or text (ISO or dd-mm-yyyy); 417 naming `field`."""
    return coerce("Date", value, label=field)


def bilangan(value: Any, field: str, low: int, high: int, *, wajib: bool = True) -> int | None:
    """An integer in [low, high] (None when empty and not required)."""
    if value in (None, "") or (value == 0 and not wajib):
        if wajib:
            raise ValidationError(f"{field} wajib diisi", field=field)
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(
            f"{field} harus bilangan bulat (diterima: {value!r})", field=field
        ) from None
    if not low <= number <= high:
        raise ValidationError(f"{field} harus antara {low} dan {high}", field=field)
    return number


def rentang_periode(tahun: int, triwulan: int, bulan: int | None) -> tuple[dt.date, dt.date]:
    """First and last day of a month (when given) or of a quarter."""
    awal_bulan = bulan or (triwulan - 1) * 3 + 1
    akhir_bulan = bulan or triwulan * 3
    awal = dt.date(tahun, awal_bulan, 1)
    akhir = (
        dt.date(tahun + 1, 1, 1) if akhir_bulan == 12 else dt.date(tahun, akhir_bulan + 1, 1)
    ) - dt.timedelta(days=1)
    return awal, akhir
