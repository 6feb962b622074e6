"""Script Report "Capaian SPM per Kabupaten": one row per kabupaten/kota × service type that
has a Target SPM there, with target, served, both percentages, index and category (the same
counting as `hitung_capaian`, spm/hitung.py), and a bar chart of the index per kabupaten.

Filters: tahun (required), triwulan (year to date up to that quarter; empty = whole year),
wilayah (a province lists its kabupaten/kota; a kabupaten/kota or lower lists itself;
default 53 NTT), jenis_layanan_spm. Read with the caller's permissions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.spm.api import JENIS, _json, _periksa, aturan_situs
from layanan_sosial.spm.capaian import BELUM_TUNTAS, LABELS
from layanan_sosial.spm.hitung import hitung

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

PROVINSI = "53"

COLUMNS = [
    {"fieldname": "kabupaten", "label": "Kode Wilayah", "fieldtype": "Link", "options": "Wilayah", "width": 100},
    {"fieldname": "nama_kabupaten", "label": "Kabupaten/Kota", "fieldtype": "Data", "width": 170},
    {"fieldname": "jenis_layanan_spm", "label": "Jenis Layanan", "fieldtype": "Link", "options": JENIS, "width": 90},
    {"fieldname": "jumlah_sasaran", "label": "Sasaran", "fieldtype": "Int", "width": 90},
    {"fieldname": "jumlah_terlayani", "label": "Terlayani", "fieldtype": "Int", "width": 90},
    {"fieldname": "persen_penerima", "label": "% Penerima", "fieldtype": "Percent", "width": 100},
    {"fieldname": "persen_mutu", "label": "% Mutu", "fieldtype": "Percent", "width": 90},
    {"fieldname": "indeks", "label": "Indeks", "fieldtype": "Float", "width": 80},
    {"fieldname": "kategori", "label": "Kategori", "fieldtype": "Data", "width": 130,
     "scale": [BELUM_TUNTAS, *reversed(LABELS)]},  # worst → best: the desk's colour scale
]  # fmt: skip


def _kelompok(ctx: Context, wilayah: str) -> list[dict[str, Any]]:
    with ctx.ignore_permissions():
        node = ctx.get_value("Wilayah", wilayah, ["name", "nama", "tingkat"], as_dict=True)
        if node["tingkat"] != "Provinsi":
            return [node]
        return ctx.get_all(
            "Wilayah",
            filters={"induk": wilayah, "tingkat": ["in", ["Kabupaten", "Kota"]]},
            fields=["name", "nama"],
            order_by="name asc",
        )


def execute(ctx: Context, filters: dict[str, Any] | None = None):
    filters = filters or {}
    jenis_filter = filters.get("jenis_layanan_spm") or None
    tahun, wilayah, triwulan = _periksa(
        ctx, filters.get("tahun"), filters.get("wilayah") or PROVINSI, filters.get("triwulan"),
        jenis_filter,
    )  # fmt: skip
    kelompok = _kelompok(ctx, wilayah)
    if jenis_filter:
        semua = [jenis_filter]
    else:
        with ctx.ignore_permissions():
            semua = ctx.get_all(JENIS, pluck="name", order_by="name asc")
    hasil = hitung(
        ctx,
        tahun=tahun,
        jenis_layanan=semua,
        akar=wilayah,
        kelompok=[k["name"] for k in kelompok],
        sampai_triwulan=triwulan,
        aturan=aturan_situs(ctx),
    )
    data = []
    for k in kelompok:
        for jenis in semua:
            h = hasil[(k["name"], jenis)]
            if h is None:
                continue
            row = _json(h)
            data.append(
                {
                    "kabupaten": k["name"],
                    "nama_kabupaten": k["nama"],
                    "jenis_layanan_spm": jenis,
                    **{c["fieldname"]: row[c["fieldname"]] for c in COLUMNS[3:]},
                }
            )
    dengan_data = [k for k in kelompok if any(r["kabupaten"] == k["name"] for r in data)]
    jenis_ada = [j for j in semua if any(r["jenis_layanan_spm"] == j for r in data)]
    indeks = {(r["kabupaten"], r["jenis_layanan_spm"]): r["indeks"] for r in data}
    chart = {
        "data": {
            "labels": [k["nama"] for k in dengan_data],
            "datasets": [
                {"name": j, "values": [indeks.get((k["name"], j), 0) for k in dengan_data]}
                for j in jenis_ada
            ],
        },
        "type": "bar",
    }
    message = None if data else "Belum ada Target SPM untuk tahun dan wilayah ini."
    return COLUMNS, data, message, chart
