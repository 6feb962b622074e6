"""Penghuni Panti: one stay of a recipient in a panti (Pengajuan → Diterima → Keluar, or
Ditolak). Admission is refused when the panti is full; a recipient has at most one open
stay (Pengajuan or Diterima) in any panti. The state moves through the workflow
"Alur Penghuni Panti" (panti/fixtures); these rules hold for every path, workflow or not."""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.panti.doctype.panti.panti import perbarui_jumlah_penghuni
from layanan_sosial.panti.periode import tanggal

TERBUKA = ("Pengajuan", "Diterima")


class PenghuniPanti(Document):
    def validate(self) -> None:
        self.status = self.status or "Pengajuan"
        lama = None if self.is_new() else self.get_db_value("status")
        panti_lama = None if self.is_new() else self.get_db_value("panti")
        if panti_lama and panti_lama != self.panti and lama != "Pengajuan":
            raise ValidationError(
                "Panti tidak dapat diganti setelah penghuni diterima; keluarkan lalu ajukan "
                "ke panti lain",
                field="panti",
            )
        if not self.tanggal_pengajuan:
            self.tanggal_pengajuan = self.ctx.today()
        if self.status in TERBUKA:
            self._satu_masa_tinggal()
        if self.status in ("Diterima", "Keluar") and not self.tanggal_masuk:
            self.tanggal_masuk = self.ctx.today()
        if self.status == "Diterima" and (lama != "Diterima" or panti_lama != self.panti):
            self._cek_kapasitas()
        masuk = tanggal(self.tanggal_masuk, "tanggal_masuk")
        if self.status == "Keluar":
            if not self.alasan_keluar:
                raise ValidationError("Alasan keluar wajib diisi", field="alasan_keluar")
            if not self.tanggal_keluar:
                self.tanggal_keluar = self.ctx.today()
        keluar = tanggal(self.tanggal_keluar, "tanggal_keluar")
        if masuk and keluar and keluar < masuk:
            raise ValidationError(
                "Tanggal keluar tidak boleh sebelum tanggal masuk", field="tanggal_keluar"
            )
        if self.status == "Ditolak" and lama not in (None, "Pengajuan", "Ditolak"):
            raise ValidationError("Hanya pengajuan yang dapat ditolak", field="status")
        self.flags.panti_lama = panti_lama

    def _satu_masa_tinggal(self) -> None:
        filters = [
            ["penerima_manfaat", "=", self.penerima_manfaat],
            ["status", "in", list(TERBUKA)],
        ]
        if not self.is_new():
            filters.append(["name", "!=", self.name])
        with self.ctx.ignore_permissions():
            lain = self.ctx.get_all(
                "Penghuni Panti", filters=filters, fields=["name", "panti", "status"]
            )
        if lain:
            row = lain[0]
            raise ValidationError(
                f"Penerima {self.penerima_manfaat} masih tercatat {row['status']} di panti "
                f"{row['panti']} ({row['name']}); satu penerima hanya satu masa tinggal aktif",
                field="penerima_manfaat",
            )

    def _cek_kapasitas(self) -> None:
        with self.ctx.ignore_permissions():
            # the Panti row lock serialises concurrent admissions to the same panti
            panti = self.ctx.get_doc("Panti", self.panti, for_update=True)
            filters = [["panti", "=", self.panti], ["status", "=", "Diterima"]]
            if not self.is_new():
                filters.append(["name", "!=", self.name])
            terisi = self.ctx.get_count("Penghuni Panti", filters=filters)
        kapasitas = int(panti.kapasitas or 0)
        if terisi >= kapasitas:
            raise ValidationError(
                f"Panti {panti.nama} penuh: {terisi} penghuni dari kapasitas {kapasitas}",
                field="panti",
            )

    def on_update(self) -> None:
        perbarui_jumlah_penghuni(self.ctx, self.panti)
        if self.flags.panti_lama and self.flags.panti_lama != self.panti:
            perbarui_jumlah_penghuni(self.ctx, self.flags.panti_lama)

    def on_trash(self) -> None:
        self.flags.hapus_dari = self.panti

    def after_delete(self) -> None:
        perbarui_jumlah_penghuni(self.ctx, self.flags.hapus_dari)
