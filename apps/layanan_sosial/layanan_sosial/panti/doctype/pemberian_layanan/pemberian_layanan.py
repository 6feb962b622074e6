"""Pemberian Layanan: the standard items a resident received in one period.

Item rows are the items this resident needs (by assessment; all standard items of the
panti's Jenis Layanan SPM when left empty), `terpenuhi` = delivered. The totals
`jumlah_item_wajib` / `jumlah_item_terpenuhi` and `wilayah` (the recipient's domicile,
else the panti's) are stored so SPM achievement is counted without reading child rows
(layanan_sosial.panti.sumber_capaian). One record per resident and period.
"""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.panti.periode import bilangan, rentang_periode, tanggal
from layanan_sosial.panti.standar import isi_item

DILAYANI = ("Diterima", "Keluar")


class PemberianLayanan(Document):
    def before_insert(self) -> None:
        with self.ctx.ignore_permissions():
            jenis = self.ctx.get_value("Penghuni Panti", self.penghuni, "jenis_layanan_spm")
        isi_item(self, jenis, {"terpenuhi": 0})

    def validate(self) -> None:
        tahun = bilangan(self.tahun, "tahun", 2000, 2100)
        bulan = bilangan(self.bulan, "bulan", 1, 12, wajib=False)
        if bulan:
            dari_bulan = (bulan - 1) // 3 + 1
            if self.triwulan not in (None, "", 0) and int(self.triwulan) != dari_bulan:
                raise ValidationError(
                    f"Bulan {bulan} berada di triwulan {dari_bulan}, bukan {self.triwulan}",
                    field="triwulan",
                )
            triwulan = dari_bulan
        else:
            triwulan = bilangan(self.triwulan, "triwulan", 1, 4)
        self.tahun, self.triwulan, self.bulan = tahun, triwulan, bulan
        with self.ctx.ignore_permissions():
            penghuni = self.ctx.get_doc("Penghuni Panti", self.penghuni)
            wilayah = self.ctx.get_value(
                "Penerima Manfaat", penghuni.penerima_manfaat, "wilayah"
            ) or self.ctx.get_value("Panti", penghuni.panti, "wilayah")
        if penghuni.status not in DILAYANI:
            raise ValidationError(
                f"Penghuni {penghuni.name} berstatus {penghuni.status}: layanan hanya dicatat "
                "untuk penghuni yang sudah diterima",
                field="penghuni",
            )
        self._dalam_masa_tinggal(penghuni, tahun, triwulan, bulan)
        self.penerima_manfaat = penghuni.penerima_manfaat
        self.panti = penghuni.panti
        self.jenis_layanan_spm = penghuni.jenis_layanan_spm
        self.wilayah = wilayah
        self._satu_per_periode()
        isi_item(self, self.jenis_layanan_spm, {"terpenuhi": 0})
        self.jumlah_item_wajib = len(self.items)
        self.jumlah_item_terpenuhi = sum(1 for row in self.items if int(row.terpenuhi or 0))

    def _dalam_masa_tinggal(self, penghuni, tahun: int, triwulan: int, bulan: int | None) -> None:
        awal, akhir = rentang_periode(tahun, triwulan, bulan)
        masuk = tanggal(penghuni.tanggal_masuk, "tanggal_masuk")
        keluar = tanggal(penghuni.tanggal_keluar, "tanggal_keluar")
        if (masuk and masuk > akhir) or (keluar and keluar < awal):
            raise ValidationError(
                f"Periode {awal} s.d. {akhir} di luar masa tinggal penghuni "
                f"({masuk} s.d. {keluar or 'sekarang'})",
                field="tahun",
            )

    def _satu_per_periode(self) -> None:
        filters = [
            ["penghuni", "=", self.penghuni],
            ["tahun", "=", self.tahun],
            ["triwulan", "=", self.triwulan],
        ]
        if not self.is_new():
            filters.append(["name", "!=", self.name])
        with self.ctx.ignore_permissions():
            rows = self.ctx.get_all("Pemberian Layanan", filters=filters, fields=["name", "bulan"])
        for row in rows:
            if not row["bulan"] or not self.bulan or int(row["bulan"]) == self.bulan:
                raise ValidationError(
                    f"Layanan penghuni {self.penghuni} untuk periode ini sudah dicatat di "
                    f"{row['name']} (satu catatan per bulan atau per triwulan)",
                    field="tahun",
                )
