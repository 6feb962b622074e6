"""Panti: a government (UPTD) or private LKS panti giving an in-panti SPM service (P1–P4).

`jumlah_penghuni` is computed from Penghuni Panti (status Diterima), never typed. Staff rows
with a user and LKS partners of its Lembaga Mitra get a User Permission on it (panti.akses).
"""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.panti import akses

# PP 2/2018 Ps. 10 / spm_rules.md §1.2: the provincial services *di dalam panti*.
# P5 (korban bencana provinsi) is a provincial service too, but not an in-panti one.
LAYANAN_DALAM_PANTI = ("P1", "P2", "P3", "P4")
LKS = "LKS Swasta"


class Panti(Document):
    def validate(self) -> None:
        if self.jenis_layanan_spm not in LAYANAN_DALAM_PANTI:
            raise ValidationError(
                "Jenis layanan SPM panti harus layanan di dalam panti "
                f"({', '.join(LAYANAN_DALAM_PANTI)}), bukan {self.jenis_layanan_spm}",
                field="jenis_layanan_spm",
            )
        if self.jenis == LKS and not self.lembaga:
            raise ValidationError("LKS swasta harus menyebut Lembaga Mitra", field="lembaga")
        if self.jenis != LKS:
            self.lembaga = None
        kapasitas = int(self.kapasitas or 0)
        if kapasitas < 1:
            raise ValidationError("Kapasitas minimal 1 orang", field="kapasitas")
        if not self.is_new():
            self.jumlah_penghuni = hitung_penghuni(self.ctx, self.name)
            if kapasitas < self.jumlah_penghuni:
                raise ValidationError(
                    f"Kapasitas {kapasitas} lebih kecil dari jumlah penghuni "
                    f"({self.jumlah_penghuni})",
                    field="kapasitas",
                )
        else:
            self.jumlah_penghuni = 0
        if self.akreditasi in (None, "", "Belum"):
            self.akreditasi = "Belum"
            self.tanggal_akreditasi = None
        users = [row.user for row in self.petugas or [] if row.user]
        if len(users) != len(set(users)):
            raise ValidationError("Seorang pengguna tercantum dua kali di petugas", field="petugas")
        self.flags.petugas_lama = set() if self.is_new() else _petugas_tersimpan(self)

    def on_update(self) -> None:
        sekarang = {row.user for row in self.petugas or [] if row.user}
        for user in (self.flags.petugas_lama or set()) - sekarang:
            akses.cabut_akses(self.ctx, user, self.name)
        akses.sinkron_panti(self.ctx, self.name, self.lembaga, sekarang)


def _petugas_tersimpan(doc: Panti) -> set[str]:
    with doc.ctx.ignore_permissions():
        stored = doc.ctx.get_doc("Panti", doc.name)
    return {row.user for row in stored.petugas or [] if row.user}


def hitung_penghuni(ctx, panti: str) -> int:
    with ctx.ignore_permissions():
        return ctx.get_count("Penghuni Panti", filters={"panti": panti, "status": "Diterima"})


def perbarui_jumlah_penghuni(ctx, panti: str | None) -> None:
    if not panti:
        return
    with ctx.ignore_permissions():
        if ctx.exists("Panti", panti):
            ctx.get_doc("Panti", panti).db_set(
                "jumlah_penghuni", hitung_penghuni(ctx, panti), update_modified=False
            )
