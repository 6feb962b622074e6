"""Rujukan: where it goes (a Lembaga Mitra always names the receiving party, so a partner's
User Permission scopes it), consent before sending, only from an approved case, the
partner's answer and report, dates filled by the workflow."""

from __future__ import annotations

import datetime as dt

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.slrt.tahapan import kosong, lindungi, sebagai_datetime, status_baru

DIISI_ALUR = ("tanggal_diterima", "tanggal_dilayani", "tanggal_selesai")
# what the receiving partner may write (permlevel 1) — the rest is Dinsos's part
ISIAN_MITRA = frozenset({"alasan_penolakan", "hasil_layanan", "catatan_mitra"})
PERAN_DINSOS = frozenset(
    {
        "System Manager",
        "Admin Dinsos",
        "Pekerja Sosial",
        "Fasilitator",
        "Supervisor SLRT",
        "Manajer SLRT",
    }
)
KASUS_BOLEH_DIRUJUK = ("Disetujui", "Layanan", "Rujukan", "Re-asesmen")
SELESAI = ("Selesai", "Ditolak")


class Rujukan(Document):
    def validate(self) -> None:
        lindungi(self, DIISI_ALUR)
        if self._hanya_mitra():
            self._cek_isian_mitra()
        self._cek_tujuan()
        if self.is_new():
            self._cek_kasus()
            if not self.persetujuan_penerima:
                raise ValidationError(
                    "Rujukan hanya dapat dikirim setelah penerima manfaat menyetujuinya",
                    field="persetujuan_penerima",
                )
        dikirim = sebagai_datetime(self.tanggal_rujukan)
        if self.tanggal_tindak_lanjut and dikirim:
            tindak = self.tanggal_tindak_lanjut
            tindak = tindak.date() if isinstance(tindak, dt.datetime) else tindak
            if tindak < dikirim.date():
                raise ValidationError(
                    "Tanggal Tindak Lanjut tidak boleh sebelum Tanggal Rujukan",
                    field="tanggal_tindak_lanjut",
                )
        self._perbarui_tanda_terlambat()
        state = status_baru(self)
        if state is None or self.is_new():
            return
        now = self.ctx.now()
        if state == "Diterima":
            self.tanggal_diterima = now
        elif state == "Ditolak" and kosong(self.alasan_penolakan):
            raise ValidationError(
                "Isi Alasan Penolakan sebelum menolak rujukan", field="alasan_penolakan"
            )
        elif state == "Dilayani":
            if kosong(self.hasil_layanan):
                raise ValidationError(
                    "Isi Hasil Layanan sebelum melaporkan rujukan telah dilayani",
                    field="hasil_layanan",
                )
            self.tanggal_dilayani = now
        elif state == "Selesai":
            self.tanggal_selesai = now

    def _perbarui_tanda_terlambat(self) -> None:
        """The daily job sets `terlambat`; finishing the referral or moving its follow-up
        date forward clears it (so the job may remind again if the new date passes)."""
        if not self.terlambat:
            return
        tindak = self.tanggal_tindak_lanjut
        tindak = tindak.date() if isinstance(tindak, dt.datetime) else tindak
        if self.workflow_state in SELESAI or tindak is None or tindak >= self.ctx.today():
            self.terlambat = 0

    def _hanya_mitra(self) -> bool:
        roles = set(self.ctx.roles)
        return (
            self.ctx.user != "Administrator" and "Mitra LKS" in roles and not roles & PERAN_DINSOS
        )

    def _cek_isian_mitra(self) -> None:
        if self.is_new():
            raise ValidationError("Mitra tidak dapat membuat rujukan", field="kasus")
        for df in self.meta.data_fields:
            name = df.fieldname
            if name in ISIAN_MITRA or name in DIISI_ALUR or name == "workflow_state":
                continue
            if name in ("modified", "modified_by", "owner", "creation", "idx", "docstatus"):
                continue
            lama, baru = self.get_db_value(name), self.get(name)
            if (lama in (None, "") and baru in (None, "")) or lama == baru:
                continue
            if str(lama) != str(baru):
                raise ValidationError(
                    f"Mitra hanya dapat mengisi tanggapan mitra; {df.label} diisi oleh Dinas Sosial",
                    field=name,
                )

    def _cek_tujuan(self) -> None:
        if self.tujuan_jenis == "Lembaga Mitra":
            if not self.lembaga_mitra:
                raise ValidationError(
                    "Lembaga Mitra wajib diisi untuk rujukan ke Lembaga Mitra",
                    field="lembaga_mitra",
                )
            self.program_bantuan = None
        elif self.tujuan_jenis == "Program Bantuan":
            if not self.program_bantuan:
                raise ValidationError(
                    "Program Bantuan wajib diisi untuk rujukan ke Program Bantuan",
                    field="program_bantuan",
                )
            if not self.lembaga_mitra:
                raise ValidationError(
                    "Isi Lembaga Penerima Rujukan (OPD/lembaga pelaksana program): tanpa "
                    "lembaga, rujukan tidak dapat dibatasi ke mitra yang berhak melihatnya",
                    field="lembaga_mitra",
                )

    def _cek_kasus(self) -> None:
        with self.ctx.ignore_permissions():
            state = self.ctx.get_value("Kasus", self.kasus, "workflow_state")
        if state not in KASUS_BOLEH_DIRUJUK:
            raise ValidationError(
                f"Rujukan hanya dapat dibuat untuk kasus yang rencananya sudah disetujui "
                f"(status kasus sekarang: {state or '-'})",
                field="kasus",
            )
