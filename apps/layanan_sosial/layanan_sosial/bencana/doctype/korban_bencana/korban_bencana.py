"""Korban Bencana: one victim or evacuee of a kejadian.

- From a registered Penerima Manfaat the empty identity fields are filled in.
- NIK (optional) is checked with the registry's NIK rules and is unique within a kejadian.
- The age is computed on the day of the kejadian from the birth date; when the age is known,
  balita (< 5), anak (< 18, UU 35/2014 — so a balita is also an anak) and lansia (≥ 60,
  UU 13/1998) follow from it; otherwise the ticks entered by the officer are kept.
- ibu hamil / ibu menyusui only for women; kelompok_rentan = any vulnerable-group flag.
- Saving or deleting a victim refreshes the counts on its kejadian (and on the previous one
  when the victim was moved to another kejadian).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from layanan_sosial.bencana.doctype.kejadian_bencana.kejadian_bencana import (
    perbarui_jumlah_korban,
)
from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.registri.nik import LAKI_LAKI, validate_nik

RENTAN = ("balita", "anak", "lansia", "ibu_hamil", "ibu_menyusui", "disabilitas")
BATAS_BALITA, BATAS_ANAK, BATAS_LANSIA = 5, 18, 60


def umur_pada(lahir: date, pada: date) -> int:
    """Full years between a birth date and a day."""
    return pada.year - lahir.year - ((pada.month, pada.day) < (lahir.month, lahir.day))


def _date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class KorbanBencana(Document):
    def validate(self) -> None:
        ctx = self.ctx
        with ctx.ignore_permissions():
            kejadian = ctx.get_value(
                "Kejadian Bencana", self.kejadian, ["wilayah", "tanggal_kejadian"], as_dict=True
            )
        if not self.wilayah and kejadian:
            self.wilayah = kejadian["wilayah"]
        if self.penerima_manfaat:
            self._from_penerima()
        self._check_nik()
        self._derive_age(_date(kejadian["tanggal_kejadian"]) if kejadian else None)
        if self.jenis_kelamin == LAKI_LAKI:
            for flag, label in (("ibu_hamil", "Ibu hamil"), ("ibu_menyusui", "Ibu menyusui")):
                if self.get(flag):
                    raise ValidationError(f"{label} hanya untuk korban perempuan", field=flag)
        self.kelompok_rentan = int(any(self.get(f) for f in RENTAN))
        self.flags.kejadian_lama = None if self.is_new() else self.get_db_value("kejadian")

    def _from_penerima(self) -> None:
        with self.ctx.ignore_permissions():
            pm = self.ctx.get_value(
                "Penerima Manfaat",
                self.penerima_manfaat,
                ["nama_lengkap", "nik", "jenis_kelamin", "tanggal_lahir", "disabilitas"],
                as_dict=True,
            )
        if not pm:
            return
        for field, source in (
            ("nama", "nama_lengkap"),
            ("jenis_kelamin", "jenis_kelamin"),
            ("tanggal_lahir", "tanggal_lahir"),
            ("nik", "nik"),
        ):
            if not self.get(field) and pm.get(source):
                self.set(field, pm[source])
        if pm.get("disabilitas") and pm["disabilitas"] != "Tidak Ada":
            self.disabilitas = 1

    def _check_nik(self) -> None:
        if not self.nik:
            self.nik = None
            return
        self.nik = validate_nik(self.nik, self.jenis_kelamin, self.tanggal_lahir)
        filters: dict[str, Any] = {"kejadian": self.kejadian, "nik": self.nik}
        if not self.is_new():
            filters["name"] = ["!=", self.name]
        with self.ctx.ignore_permissions():
            other = self.ctx.get_value("Korban Bencana", filters, "name")
        if other:
            raise ValidationError(
                f"NIK ini sudah tercatat sebagai korban {other} pada kejadian yang sama",
                field="nik",
            )

    def _derive_age(self, tanggal_kejadian: date | None) -> None:
        lahir = _date(self.tanggal_lahir)
        if lahir is not None:
            pada = tanggal_kejadian or self.ctx.today()
            if lahir > pada:
                raise ValidationError(
                    "Tanggal lahir tidak boleh setelah tanggal kejadian", field="tanggal_lahir"
                )
            self.umur = umur_pada(lahir, pada)
        if self.umur in (None, ""):
            return
        umur = int(self.umur)
        self.balita = int(umur < BATAS_BALITA)
        self.anak = int(umur < BATAS_ANAK)
        self.lansia = int(umur >= BATAS_LANSIA)

    def on_update(self) -> None:
        perbarui_jumlah_korban(self.ctx, self.kejadian)
        lama = self.flags.kejadian_lama
        if lama and lama != self.kejadian:
            perbarui_jumlah_korban(self.ctx, lama)

    def after_delete(self) -> None:
        perbarui_jumlah_korban(self.ctx, self.kejadian)
