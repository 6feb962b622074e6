"""Penilaian SPM Panti: yearly self-assessment of a panti against the standard items of its
Jenis Layanan SPM. nilai = items meeting the standard ÷ items assessed × 100 (exact, rounded
to 2 decimals at the end). Workflow "Alur Penilaian SPM Panti": LKS / panti staff submit,
Dinas Sosial (Admin Dinsos) approves (the document is then submitted and locked) or returns.
One assessment per panti and year (cancelled ones aside)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.panti.periode import bilangan
from layanan_sosial.panti.standar import isi_item


class PenilaianSPMPanti(Document):
    def before_insert(self) -> None:
        with self.ctx.ignore_permissions():
            jenis = self.ctx.get_value("Panti", self.panti, "jenis_layanan_spm")
        isi_item(self, jenis, {"memenuhi": 0})

    def validate(self) -> None:
        self.tahun = bilangan(self.tahun, "tahun", 2000, 2100)
        with self.ctx.ignore_permissions():
            self.jenis_layanan_spm = self.ctx.get_value("Panti", self.panti, "jenis_layanan_spm")
            filters = [["panti", "=", self.panti], ["tahun", "=", self.tahun]]
            filters.append(["docstatus", "<", 2])
            if not self.is_new():
                filters.append(["name", "!=", self.name])
            lain = self.ctx.get_all("Penilaian SPM Panti", filters=filters, pluck="name")
        if lain:
            raise ValidationError(
                f"Penilaian {self.panti} tahun {self.tahun} sudah ada ({lain[0]})", field="tahun"
            )
        isi_item(self, self.jenis_layanan_spm, {"memenuhi": 0})
        self.jumlah_item = len(self.items)
        self.jumlah_memenuhi = sum(1 for row in self.items if int(row.memenuhi or 0))
        self.nilai = (
            float(
                (Decimal(self.jumlah_memenuhi) * 100 / Decimal(self.jumlah_item)).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP
                )
            )
            if self.jumlah_item
            else 0.0
        )
