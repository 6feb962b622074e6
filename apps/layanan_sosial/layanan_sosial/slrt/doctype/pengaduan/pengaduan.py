"""Pengaduan: the 1×24 h deadline, dates filled by the workflow, required reasons."""

from __future__ import annotations

import datetime as dt

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.slrt.tahapan import (
    cek_pengguna,
    kosong,
    lindungi,
    sebagai_datetime,
    status_baru,
    status_lama,
)

SLA_JAM = 24  # B'DESUT: every complaint handled within 1×24 h
DIISI_ALUR = ("tanggal_respon", "tanggal_keputusan", "tepat_waktu", "tanggal_selesai", "kasus")


class Pengaduan(Document):
    def validate(self) -> None:
        lindungi(self, DIISI_ALUR)
        cek_pengguna(self, "petugas")
        now = self.ctx.now()
        diterima = sebagai_datetime(self.tanggal_pengaduan)
        if diterima is not None and diterima > now + dt.timedelta(minutes=5):
            raise ValidationError(
                "Tanggal Pengaduan tidak boleh di masa depan", field="tanggal_pengaduan"
            )
        self.batas_waktu = diterima + dt.timedelta(hours=SLA_JAM) if diterima else None
        state = status_baru(self)
        if state is None or self.is_new():
            return
        if state == "Diverifikasi":
            self.tanggal_respon = self.tanggal_respon or now
        elif state == "Ditindaklanjuti":
            if kosong(self.tindak_lanjut):
                raise ValidationError(
                    "Isi Tindak Lanjut sebelum pengaduan ditindaklanjuti", field="tindak_lanjut"
                )
            self._putuskan(now)
        elif state == "Ditolak":
            if kosong(self.alasan_penolakan):
                raise ValidationError(
                    "Isi Alasan Penolakan sebelum pengaduan ditolak", field="alasan_penolakan"
                )
            self.tanggal_respon = self.tanggal_respon or now
            self._putuskan(now)
        elif state == "Selesai":
            if status_lama(self) == "Ditindaklanjuti" and kosong(self.tindak_lanjut):
                raise ValidationError(
                    "Isi Tindak Lanjut sebelum pengaduan diselesaikan", field="tindak_lanjut"
                )
            self.tanggal_selesai = now

    def _putuskan(self, now: dt.datetime) -> None:
        """The handling decision (follow-up or rejection) closes the 1×24 h window."""
        self.tanggal_keputusan = now
        batas = sebagai_datetime(self.batas_waktu)
        self.tepat_waktu = 1 if batas is not None and now <= batas else 0
