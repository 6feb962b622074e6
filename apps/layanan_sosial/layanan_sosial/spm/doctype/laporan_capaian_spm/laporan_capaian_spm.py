"""Laporan Capaian SPM: the quarterly snapshot of achievement per service type in a region
(built by `layanan_sosial.spm.api.generate_laporan`). Workflow "Alur Laporan Capaian SPM":
Draft → Diajukan → Disetujui (Pimpinan or Admin Dinsos); approval submits it, so an approved
snapshot can no longer change. One live snapshot per year, quarter and region."""

from __future__ import annotations

from decimal import Decimal

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.spm.capaian import bulatkan


class LaporanCapaianSPM(Document):
    def validate(self) -> None:
        for field, low, high in (("tahun", 2000, 2100), ("triwulan", 1, 4)):
            try:
                value = int(str(self.get(field)).strip())
            except ValueError:
                raise ValidationError(f"{field} harus bilangan bulat", field=field) from None
            if not low <= value <= high:
                raise ValidationError(f"{field} harus antara {low} dan {high}", field=field)
            self.set(field, value)
        filters = [
            ["tahun", "=", self.tahun],
            ["triwulan", "=", self.triwulan],
            ["wilayah", "=", self.wilayah],
            ["docstatus", "<", 2],
        ]
        if not self.is_new():
            filters.append(["name", "!=", self.name])
        with self.ctx.ignore_permissions():
            lain = self.ctx.get_all("Laporan Capaian SPM", filters=filters, pluck="name")
        if lain:
            raise ValidationError(
                f"Laporan tahun {self.tahun} triwulan {self.triwulan} wilayah {self.wilayah} "
                f"sudah ada ({lain[0]})",
                field="triwulan",
            )
        jenis = [row.jenis_layanan_spm for row in self.rincian or []]
        if len(jenis) != len(set(jenis)):
            raise ValidationError("Jenis layanan tercantum dua kali", field="rincian")
        nilai = [Decimal(str(row.indeks or 0)) for row in self.rincian or []]
        # the mean of the service indices (aggregation rule UNVERIFIED, spm_rules.md §2.2)
        self.indeks_rata_rata = float(bulatkan(sum(nilai) / len(nilai))) if nilai else None
