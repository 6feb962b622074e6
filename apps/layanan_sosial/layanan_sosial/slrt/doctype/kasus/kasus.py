"""Kasus SLRT: stage gates (assessment before plan, plan before approval, re-assessment
and result before closing), dates and approver filled by the workflow, the link back to
the complaint it came from."""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.slrt.tahapan import cek_pengguna, kosong, lindungi, status_baru

DIISI_ALUR = ("tanggal_respon", "disetujui_oleh", "tanggal_disetujui", "tanggal_selesai")


class Kasus(Document):
    def validate(self) -> None:
        lindungi(self, DIISI_ALUR)
        cek_pengguna(self, "petugas")
        if not self.is_new() and self.pengaduan != self.get_db_value("pengaduan"):
            raise ValidationError(
                "Pengaduan Asal tidak dapat diubah setelah kasus dibuat", field="pengaduan"
            )
        if self.is_new() and self.pengaduan:
            self._cek_pengaduan()
        self._cek_item_spm()
        state = status_baru(self)
        if state is None or self.is_new():
            return
        now = self.ctx.now()
        if state == "Asesmen":
            self.tanggal_respon = self.tanggal_respon or now
        elif state == "Rencana" and not self.get_children("asesmen"):
            raise ValidationError(
                "Isi minimal satu baris Asesmen sebelum menyusun rencana", field="asesmen"
            )
        elif state == "Disetujui":
            if not self.get_children("rencana"):
                raise ValidationError(
                    "Rencana Intervensi masih kosong: tidak ada yang dapat disetujui",
                    field="rencana",
                )
            self.disetujui_oleh = self.ctx.user
            self.tanggal_disetujui = now
        elif state == "Selesai":
            if kosong(self.hasil_reasesmen):
                raise ValidationError(
                    "Isi Hasil Re-asesmen sebelum kasus ditutup", field="hasil_reasesmen"
                )
            if kosong(self.hasil_akhir):
                raise ValidationError(
                    "Pilih Hasil Akhir sebelum kasus ditutup", field="hasil_akhir"
                )
            self.tanggal_selesai = now

    def _cek_item_spm(self) -> None:
        """An item code on a direct service must be a standard item of its SPM service."""
        from layanan_sosial.slrt.sumber_capaian import item_standar

        standar: dict[str, set[str]] = {}
        for row in self.get_children("layanan"):
            if not row.kode_item_spm:
                continue
            if not row.jenis_layanan_spm:
                raise ValidationError(
                    f"Layanan baris {row.idx}: pilih Jenis Layanan SPM untuk item "
                    f"{row.kode_item_spm}",
                    field="layanan",
                )
            jenis = row.jenis_layanan_spm
            if jenis not in standar:
                standar[jenis] = item_standar(self.ctx, jenis)
            if row.kode_item_spm not in standar[jenis]:
                raise ValidationError(
                    f"Layanan baris {row.idx}: {row.kode_item_spm} bukan item standar "
                    f"{row.jenis_layanan_spm}",
                    field="layanan",
                )

    def _cek_pengaduan(self) -> None:
        with self.ctx.ignore_permissions():
            sudah = self.ctx.get_value("Pengaduan", self.pengaduan, "kasus")
        if sudah:
            raise ValidationError(
                f"Pengaduan {self.pengaduan} sudah menjadi kasus {sudah}", field="pengaduan"
            )

    def after_insert(self) -> None:
        """The complaint points back at the case it became (a system write)."""
        if self.pengaduan:
            with self.ctx.ignore_permissions():
                self.ctx.get_doc("Pengaduan", self.pengaduan).db_set("kasus", self.name)
