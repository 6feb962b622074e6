"""Script Report "Kinerja SLA Pengaduan dan Kasus": per kabupaten/kota, complaints
(jumlah, selesai, tepat waktu %, average response hours) and cases (jumlah, selesai,
average response hours), over what the caller may read. Definitions: slrt/indikator.py."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from layanan_sosial.slrt import indikator as ind

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

COLUMNS = [
    {
        "fieldname": "kabupaten",
        "label": "Kode Kab/Kota",
        "fieldtype": "Link",
        "options": "Wilayah",
        "width": 110,
    },
    {"fieldname": "nama_kabupaten", "label": "Kabupaten/Kota", "fieldtype": "Data", "width": 180},
    {
        "fieldname": "jumlah_pengaduan",
        "label": "Jumlah Pengaduan",
        "fieldtype": "Int",
        "width": 120,
    },
    {
        "fieldname": "pengaduan_selesai",
        "label": "Pengaduan Selesai",
        "fieldtype": "Int",
        "width": 120,
    },
    {
        "fieldname": "tepat_waktu_persen",
        "label": "Tepat Waktu 1×24 Jam (%)",
        "fieldtype": "Percent",
        "width": 150,
    },
    {
        "fieldname": "rata_rata_respon_jam",
        "label": "Rata-rata Waktu Respon (jam)",
        "fieldtype": "Float",
        "width": 170,
    },
    {"fieldname": "jumlah_kasus", "label": "Jumlah Kasus", "fieldtype": "Int", "width": 110},
    {"fieldname": "kasus_selesai", "label": "Kasus Selesai", "fieldtype": "Int", "width": 110},
    {
        "fieldname": "rata_rata_respon_kasus_jam",
        "label": "Rata-rata Respon Kasus (jam)",
        "fieldtype": "Float",
        "width": 170,
    },
]


def execute(ctx: Context, filters: dict[str, Any] | None = None):
    filters = filters or {}
    wilayah = filters.get("wilayah") or None
    awal, akhir = ind.periode(filters.get("dari"), filters.get("sampai"))
    aduan: dict[str, list[dict]] = defaultdict(list)
    kasus: dict[str, list[dict]] = defaultdict(list)
    for row in ind.data_pengaduan(ctx, wilayah, awal, akhir):
        aduan[ind.kabupaten_dari(row["wilayah"])].append(row)
    for row in ind.data_kasus(ctx, wilayah, awal, akhir):
        kasus[ind.kabupaten_dari(row["wilayah"])].append(row)
    kodes = sorted(k for k in set(aduan) | set(kasus) if k)
    nama: dict[str, str] = {}
    if kodes:
        with ctx.ignore_permissions():  # region names are public master data
            for row in ctx.get_all(
                "Wilayah", filters=[["name", "in", kodes]], fields=["name", "nama"], as_dict=True
            ):
                nama[row["name"]] = row["nama"]
    now = ctx.now()
    data = []
    for kode in kodes:
        p = ind.ringkas_pengaduan(aduan[kode], now)
        k = ind.ringkas_kasus(kasus[kode])
        data.append(
            {
                "kabupaten": kode,
                "nama_kabupaten": nama.get(kode, kode),
                "jumlah_pengaduan": p["jumlah"],
                "pengaduan_selesai": p["selesai"],
                "tepat_waktu_persen": p["tepat_waktu_persen"],
                "rata_rata_respon_jam": p["rata_rata_waktu_respon_jam"],
                "jumlah_kasus": k["jumlah"],
                "kasus_selesai": k["selesai"],
                "rata_rata_respon_kasus_jam": k["rata_rata_waktu_respon_jam"],
            }
        )
    chart = {
        "data": {
            "labels": [row["nama_kabupaten"] for row in data],
            "datasets": [
                {"name": "Jumlah Pengaduan", "values": [r["jumlah_pengaduan"] for r in data]},
                {"name": "Pengaduan Selesai", "values": [r["pengaduan_selesai"] for r in data]},
                {"name": "Jumlah Kasus", "values": [r["jumlah_kasus"] for r in data]},
            ],
        },
        "type": "bar",
    }
    message = None if data else "Tidak ada pengaduan atau kasus pada filter ini."
    return COLUMNS, data, message, chart
