"""Kejadian Bencana: dates in order, affected regions inside the event's region, and the
victim counts, which are computed from Korban Bencana (never typed in)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.bencana.wilayah import nama_wilayah, within
from layanan_sosial.core.document import Document
from layanan_sosial.core.document.persistence import update_columns
from layanan_sosial.core.exceptions import ValidationError

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

KEJADIAN = "Kejadian Bencana"
KORBAN = "Korban Bencana"
LUKA = ("Luka Ringan", "Luka Berat")
COUNT_FIELDS = (
    "jumlah_korban",
    "jumlah_mengungsi",
    "jumlah_meninggal",
    "jumlah_hilang",
    "jumlah_luka",
    "jumlah_rentan",
)


class KejadianBencana(Document):
    def validate(self) -> None:
        if (
            self.tanggal_selesai
            and self.tanggal_kejadian
            and str(self.tanggal_selesai) < str(self.tanggal_kejadian)
        ):
            raise ValidationError(
                "Tanggal selesai tidak boleh sebelum tanggal kejadian", field="tanggal_selesai"
            )
        if self.status == "Selesai" and not self.tanggal_selesai:
            self.tanggal_selesai = self.ctx.today()
        seen: set[str] = set()
        for row in self.get_children("wilayah_terdampak"):
            if row.wilayah in seen:
                raise ValidationError(
                    f"Wilayah terdampak {row.wilayah} tercantum lebih dari sekali",
                    field="wilayah_terdampak",
                )
            seen.add(row.wilayah)
            if not within(self.ctx, row.wilayah, self.wilayah):
                raise ValidationError(
                    f"Wilayah terdampak {row.wilayah} tidak berada di wilayah kejadian "
                    f"{self.wilayah}",
                    field="wilayah_terdampak",
                )
            row.nama_wilayah = nama_wilayah(self.ctx, row.wilayah)
        if not self.is_new():
            self.update(hitung_korban(self.ctx, self.name))
        else:
            self.update(dict.fromkeys(COUNT_FIELDS, 0))


def hitung_korban(ctx: Context, kejadian: Any) -> dict[str, int]:
    """The victim counts of one kejadian over every victim (not only those the current
    user may read): one grouped query."""
    counts = dict.fromkeys(COUNT_FIELDS, 0)
    with ctx.ignore_permissions():
        rows = ctx.get_all(
            KORBAN,
            filters={"kejadian": kejadian},
            fields=["kondisi", "status_pengungsian", "kelompok_rentan", "count(*) as n"],
            group_by="kondisi, status_pengungsian, kelompok_rentan",
        )
    for row in rows:
        n = int(row["n"])
        counts["jumlah_korban"] += n
        if row["status_pengungsian"] == "Mengungsi":
            counts["jumlah_mengungsi"] += n
        if row["kondisi"] == "Meninggal":
            counts["jumlah_meninggal"] += n
        elif row["kondisi"] == "Hilang":
            counts["jumlah_hilang"] += n
        elif row["kondisi"] in LUKA:
            counts["jumlah_luka"] += n
        if row["kelompok_rentan"]:
            counts["jumlah_rentan"] += n
    return counts


def perbarui_jumlah_korban(ctx: Context, kejadian: Any) -> None:
    """Store the counts on the kejadian (one UPDATE, `modified` untouched: the event's
    own form is not made stale by a victim being added)."""
    if not kejadian:
        return
    with ctx.ignore_permissions():
        if not ctx.exists(KEJADIAN, kejadian):
            return
    update_columns(ctx, ctx.get_meta(KEJADIAN), kejadian, hitung_korban(ctx, kejadian))
