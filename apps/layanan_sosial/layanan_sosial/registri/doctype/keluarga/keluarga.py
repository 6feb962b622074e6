"""Keluarga: one KK with its member rows; exactly one Kepala Keluarga, no member twice."""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError


class Keluarga(Document):
    def validate(self) -> None:
        kk = (self.no_kk or "").strip()
        if not (kk.isdigit() and kk.isascii() and len(kk) == 16):
            raise ValidationError("Nomor KK harus 16 digit angka", field="no_kk")
        self.no_kk = kk
        seen: set[str] = set()
        kepala = [row.penerima for row in self.anggota or [] if row.hubungan == "Kepala Keluarga"]
        for row in self.anggota or []:
            if row.penerima in seen:
                raise ValidationError(
                    f"Anggota {row.penerima} tercantum lebih dari sekali", field="anggota"
                )
            seen.add(row.penerima)
            with self.ctx.ignore_permissions():
                row.nama = self.ctx.get_value("Penerima Manfaat", row.penerima, "nama_lengkap")
        if len(kepala) > 1:
            raise ValidationError("Hanya boleh satu Kepala Keluarga", field="anggota")
        if self.kepala_keluarga and kepala and kepala[0] != self.kepala_keluarga:
            raise ValidationError(
                "Kepala Keluarga pada anggota berbeda dengan field Kepala Keluarga",
                field="kepala_keluarga",
            )
        if not self.kepala_keluarga and kepala:
            self.kepala_keluarga = kepala[0]
        if self.desil is not None and self.desil != 0 and not 1 <= int(self.desil) <= 10:
            raise ValidationError("Desil harus antara 1 dan 10", field="desil")
