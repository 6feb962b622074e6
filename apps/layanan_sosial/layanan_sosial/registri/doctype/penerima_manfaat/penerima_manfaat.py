"""Penerima Manfaat: NIK rules, consent date, near-duplicate flags (never blocking)."""

from __future__ import annotations

from typing import Any

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.registri.nik import mask_nik, normalise_name, validate_nik


class PenerimaManfaat(Document):
    def validate(self) -> None:
        if self.nik:
            self.nik = validate_nik(self.nik, self.jenis_kelamin, self.tanggal_lahir)
        else:
            self.nik = None  # empty NIKs must not collide on the unique index
        self.nik_tersamar = mask_nik(self.nik)
        if self.desil is not None and self.desil != 0 and not 1 <= int(self.desil) <= 10:
            raise ValidationError("Desil harus antara 1 dan 10", field="desil")
        if self.persetujuan_data and not self.tanggal_persetujuan:
            self.tanggal_persetujuan = self.ctx.now()
        elif not self.persetujuan_data:
            self.tanggal_persetujuan = None
        self.kemungkinan_duplikat = "\n".join(find_near_duplicates(self)) or None


def find_near_duplicates(doc: Any) -> list[str]:
    """Other recipients with the same normalised name and the same birth date, or the same
    KK number and normalised name: "PM-2026-00001 (Maria Goreti): nama + tanggal lahir"."""
    nama = normalise_name(doc.nama_lengkap)
    if not nama:
        return []
    checks = []
    if doc.tanggal_lahir:
        checks.append(("tanggal_lahir", doc.tanggal_lahir, "nama + tanggal lahir sama"))
    if doc.no_kk:
        checks.append(("no_kk", doc.no_kk, "nama + nomor KK sama"))
    found: dict[str, str] = {}
    with doc.ctx.ignore_permissions():
        for fieldname, value, reason in checks:
            filters: list[list[Any]] = [[fieldname, "=", value]]
            if doc.name and not doc.is_new():
                filters.append(["name", "!=", doc.name])
            rows = doc.ctx.get_all(
                "Penerima Manfaat", filters=filters, fields=["name", "nama_lengkap"], as_dict=True
            )
            for row in rows:
                if normalise_name(row["nama_lengkap"]) == nama and row["name"] not in found:
                    found[row["name"]] = f"{row['name']} ({row['nama_lengkap']}): {reason}"
    return list(found.values())
