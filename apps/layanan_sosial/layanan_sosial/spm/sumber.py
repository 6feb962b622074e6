"""Where "terlayani" comes from: a small registry of achievement *sources*.

A source reports, for one request (year, quarter, service types, region subtree), one
`Catatan` per service record: who was served (a stable key per person), in which region,
and how many standard items were required / fulfilled for them in that record.
`hitung_capaian` counts *distinct* people per service type over every source and adds the
item counts, so a person served by two modules is counted once.

Modules contribute without any change to SPM code: a module of an installed app ships
`<module>/sumber_capaian.py` with a list `SUMBER = [SumberCapaian(...), ...]`; it is found
by convention (modules.txt order); `daftarkan(sumber)` registers one from code. Built:
Pemberian Layanan (`panti/sumber_capaian.py`, P1–P4), Kasus direct services
(`slrt/sumber_capaian.py`, K1–K4, rows tagged with a Jenis Layanan SPM and item code) and
Penyaluran Bantuan to registered victims (`bencana/sumber_capaian.py`, P5/K5).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context


@dataclass(frozen=True)
class Permintaan:
    """What a source must report: services of `jenis_layanan` in `tahun`, in quarters
    1..`sampai_triwulan` (all quarters when None), in `wilayah` and its descendants."""

    tahun: int
    jenis_layanan: tuple[str, ...]
    wilayah: str
    sampai_triwulan: int | None = None


def rentang_tanggal(permintaan: Permintaan) -> tuple[dt.date, dt.date]:
    """First and last day the request covers: from 1 January to the end of quarter
    `sampai_triwulan` (year to date), or the whole year."""
    bulan_akhir = (permintaan.sampai_triwulan or 4) * 3
    akhir = (
        dt.date(permintaan.tahun + 1, 1, 1)
        if bulan_akhir == 12
        else dt.date(permintaan.tahun, bulan_akhir + 1, 1)
    ) - dt.timedelta(days=1)
    return dt.date(permintaan.tahun, 1, 1), akhir


@dataclass(frozen=True)
class Catatan:
    jenis_layanan: str
    wilayah: str | None
    penerima: str  # stable key of the person (e.g. the Penerima Manfaat name)
    item_wajib: int = 0
    item_terpenuhi: int = 0


@dataclass(frozen=True)
class SumberCapaian:
    nama: str
    ambil: Callable[[Context, Permintaan], Iterable[Catatan]]
    jenis_layanan: frozenset[str] | None = None  # the codes it serves; None = any

    def melayani(self, jenis: Iterable[str]) -> bool:
        return self.jenis_layanan is None or bool(self.jenis_layanan & set(jenis))


MODUL_SUMBER = "sumber_capaian"
_cache: dict[tuple[str, ...], tuple[SumberCapaian, ...]] = {}
_tambahan: list[SumberCapaian] = []


def daftarkan(sumber: SumberCapaian) -> SumberCapaian:
    """Register a source in this process (besides the ones found by convention)."""
    if sumber not in _tambahan:
        _tambahan.append(sumber)
    return sumber


def lepaskan(sumber: SumberCapaian) -> None:
    if sumber in _tambahan:
        _tambahan.remove(sumber)


def sumber_terdaftar(apps: Iterable[str]) -> tuple[SumberCapaian, ...]:
    """Every `SUMBER` of `<app>.<module>.sumber_capaian` of the installed apps."""
    key = tuple(apps)
    if key not in _cache:
        from layanan_sosial.core.meta.loader import app_modules
        from layanan_sosial.core.meta.model import scrub

        found: list[SumberCapaian] = []
        for app in key:
            for module in app_modules(app):
                dotted = f"{app}.{scrub(module)}.{MODUL_SUMBER}"
                try:
                    mod = importlib.import_module(dotted)
                except ModuleNotFoundError as exc:
                    if exc.name != dotted:
                        raise
                    continue
                found.extend(getattr(mod, "SUMBER", ()))
        _cache[key] = tuple(found)
    return _cache[key] + tuple(_tambahan)
