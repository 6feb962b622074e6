"""Monitoring indicators of the policy brief (Monev): average response time of complaints
and of cases, completion rate, share handled within the 1×24 h SLA, satisfaction (IKM).

Every query goes through the caller's Context, so a kabupaten user's figures cover only
the records its User Permissions let it read. Time differences are computed in Python
(the same on SQLite and MariaDB).

Definitions (hours are decimal hours, rounded to 2 decimals):
- pengaduan.rata_rata_waktu_respon_jam: tanggal_pengaduan → tanggal_respon (the complaint
  is verified or rejected), over the complaints that got a response;
- pengaduan.tepat_waktu_persen: of the complaints whose 1×24 h window is decided — a
  handling decision was taken (tanggal_keputusan: followed up or rejected) or the deadline
  (batas_waktu) has passed without one — the share decided by the deadline;
- tingkat_penyelesaian_persen: records in state Selesai ÷ all records of the period;
- kasus.rata_rata_waktu_respon_jam: tanggal_pendaftaran → tanggal_respon (the case
  enters Asesmen); kasus.rata_rata_waktu_penyelesaian_hari: tanggal_pendaftaran →
  tanggal_selesai;
- kepuasan: IKM (mutu.ikm) over the Survei Kepuasan responses of the period. The survey's
  `wilayah` is free text, so a wilayah filter matches responses whose wilayah is the code,
  a code under it ("53.71.%") or the region's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.core.fieldtypes import coerce
from layanan_sosial.mutu.ikm import UNSUR, hitung
from layanan_sosial.slrt.tahapan import sebagai_datetime

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

KOLOM_PENGADUAN = [
    "name",
    "wilayah",
    "workflow_state",
    "tanggal_pengaduan",
    "tanggal_respon",
    "tanggal_keputusan",
    "batas_waktu",
    "tepat_waktu",
]
KOLOM_KASUS = [
    "name",
    "wilayah",
    "workflow_state",
    "tanggal_pendaftaran",
    "tanggal_respon",
    "tanggal_selesai",
]


def periode(dari: Any, sampai: Any) -> tuple[dt.date | None, dt.date | None]:
    awal, akhir = coerce("Date", dari, label="dari"), coerce("Date", sampai, label="sampai")
    if awal and akhir and akhir < awal:
        raise ValidationError("Tanggal 'sampai' tidak boleh sebelum 'dari'", field="sampai")
    return awal, akhir


def filter_waktu(field: str, awal: dt.date | None, akhir: dt.date | None) -> list[list[Any]]:
    """Datetime field within [awal 00:00, akhir + 1 day)."""
    out: list[list[Any]] = []
    if awal:
        out.append([field, ">=", dt.datetime.combine(awal, dt.time())])
    if akhir:
        out.append([field, "<", dt.datetime.combine(akhir + dt.timedelta(days=1), dt.time())])
    return out


def filter_wilayah(wilayah: str | None) -> list[list[Any]]:
    return [["wilayah", "descendants of (inclusive)", wilayah]] if wilayah else []


def _jam(awal: Any, akhir: Any) -> float | None:
    a, b = sebagai_datetime(awal), sebagai_datetime(akhir)
    if a is None or b is None:
        return None
    return (b - a).total_seconds() / 3600


def _rata(values: Iterable[float | None], bagi: float = 1) -> float | None:
    items = [v for v in values if v is not None]
    return round(sum(items) / len(items) / bagi, 2) if items else None


def _persen(bagian: int, total: int) -> float | None:
    return round(bagian * 100 / total, 2) if total else None


def ringkas_pengaduan(rows: list[dict[str, Any]], now: dt.datetime) -> dict[str, Any]:
    diputus = [r for r in rows if r.get("tanggal_keputusan")]
    lewat = [
        r
        for r in rows
        if not r.get("tanggal_keputusan")
        and r.get("batas_waktu")
        and sebagai_datetime(r["batas_waktu"]) < now
    ]
    tepat = sum(1 for r in diputus if r.get("tepat_waktu"))
    selesai = sum(1 for r in rows if r.get("workflow_state") == "Selesai")
    return {
        "jumlah": len(rows),
        "selesai": selesai,
        "tingkat_penyelesaian_persen": _persen(selesai, len(rows)),
        "rata_rata_waktu_respon_jam": _rata(
            _jam(r["tanggal_pengaduan"], r.get("tanggal_respon")) for r in rows
        ),
        "dinilai_sla": len(diputus) + len(lewat),
        "tepat_waktu": tepat,
        "tepat_waktu_persen": _persen(tepat, len(diputus) + len(lewat)),
        "terlambat_belum_ditangani": len(lewat),
    }


def ringkas_kasus(rows: list[dict[str, Any]]) -> dict[str, Any]:
    selesai = [r for r in rows if r.get("workflow_state") == "Selesai"]
    return {
        "jumlah": len(rows),
        "selesai": len(selesai),
        "tingkat_penyelesaian_persen": _persen(len(selesai), len(rows)),
        "rata_rata_waktu_respon_jam": _rata(
            _jam(r["tanggal_pendaftaran"], r.get("tanggal_respon")) for r in rows
        ),
        "rata_rata_waktu_penyelesaian_hari": _rata(
            (_jam(r["tanggal_pendaftaran"], r.get("tanggal_selesai")) for r in selesai), bagi=24
        ),
    }


def data_pengaduan(ctx: Context, wilayah: str | None, awal: Any, akhir: Any) -> list[dict]:
    return ctx.get_all(
        "Pengaduan",
        fields=KOLOM_PENGADUAN,
        filters=filter_wilayah(wilayah) + filter_waktu("tanggal_pengaduan", awal, akhir),
        as_dict=True,
    )


def data_kasus(ctx: Context, wilayah: str | None, awal: Any, akhir: Any) -> list[dict]:
    return ctx.get_all(
        "Kasus",
        fields=KOLOM_KASUS,
        filters=filter_wilayah(wilayah) + filter_waktu("tanggal_pendaftaran", awal, akhir),
        as_dict=True,
    )


def kepuasan(ctx: Context, wilayah: str | None, awal: Any, akhir: Any) -> dict[str, Any]:
    filters: list[list[Any]] = []
    if awal:
        filters.append(["tanggal", ">=", awal])
    if akhir:
        filters.append(["tanggal", "<=", akhir])
    or_filters: list[list[Any]] | None = None
    if wilayah:
        with ctx.ignore_permissions():
            nama = ctx.get_value("Wilayah", wilayah, "nama")
        or_filters = [["wilayah", "=", wilayah], ["wilayah", "like", f"{wilayah}.%"]]
        if nama:
            or_filters.append(["wilayah", "=", nama])
    rows = ctx.get_all(
        "Survei Kepuasan",
        fields=list(UNSUR),
        filters=filters,
        or_filters=or_filters,
        as_dict=True,
    )
    hasil = hitung(rows)
    hasil["catatan"] = (
        "IKM dari Survei Kepuasan pada periode yang sama; kolom wilayah survei berupa teks "
        "bebas, dicocokkan dengan kode wilayah (dan kode di bawahnya) atau nama wilayah."
    )
    return hasil


def indikator(
    ctx: Context, wilayah: str | None = None, dari: Any = None, sampai: Any = None
) -> dict[str, Any]:
    awal, akhir = periode(dari, sampai)
    wilayah = wilayah or None
    return {
        "wilayah": wilayah,
        "dari": awal.isoformat() if awal else None,
        "sampai": akhir.isoformat() if akhir else None,
        "pengaduan": ringkas_pengaduan(data_pengaduan(ctx, wilayah, awal, akhir), ctx.now()),
        "kasus": ringkas_kasus(data_kasus(ctx, wilayah, awal, akhir)),
        "kepuasan": kepuasan(ctx, wilayah, awal, akhir),
    }


def kabupaten_dari(kode: str | None) -> str | None:
    """Kemendagri code of the kabupaten/kota holding a region: 53.71.01.1001 → 53.71."""
    if not kode:
        return None
    return ".".join(str(kode).split(".")[:2])
