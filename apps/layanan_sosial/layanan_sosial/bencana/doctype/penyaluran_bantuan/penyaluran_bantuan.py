"""Penyaluran Bantuan: one distribution (plan, then hand-out) of aid items for a kejadian.

- wilayah defaults to the kejadian's; a recipient row must be a victim of the same kejadian.
- jumlah_kebutuhan (read-only) is the remaining need for the row's item — of its recipient
  when one is named, else of the whole kejadian — minus every other distribution that is
  not rejected or cancelled (see bencana/kebutuhan.py). It is computed while the plan is
  being prepared (new, Rencana, Ditolak) and kept as approved afterwards.
- A row handing out more than its remaining need or more than the stock entered
  (jumlah_tersedia) needs an alasan_kelebihan. Rows of the same item in one document share
  the remaining need.
- The workflow (fixture "Alur Penyaluran Bantuan"): Rencana → Disetujui → Disalurkan →
  Diverifikasi (submitted), Ditolak → Rencana; Admin Dinsos approves and verifies, never
  their own document.
"""

from __future__ import annotations

from typing import Any

from layanan_sosial.bencana.kebutuhan import angka, item_key, sisa_kebutuhan
from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError

PREPARING = (None, "", "Rencana", "Ditolak")


class PenyaluranBantuan(Document):
    def validate(self) -> None:
        ctx = self.ctx
        with ctx.ignore_permissions():
            wilayah = ctx.get_value("Kejadian Bencana", self.kejadian, "wilayah")
        if not self.wilayah:
            self.wilayah = wilayah
        rows = self.get_children("items")
        if not rows:
            raise ValidationError("Isi minimal satu item bantuan", field="items")
        self._check_recipients(rows)
        if self.is_new() or self.get_db_value("workflow_state") in PREPARING:
            self._fill_need(rows)
        self._check_quantities(rows)
        self.total_disalurkan = angka(sum(float(r.jumlah_disalurkan or 0) for r in rows))

    def _check_recipients(self, rows: list[Document]) -> None:
        for row in rows:
            if not row.penerima:
                row.nama_penerima = None
                continue
            with self.ctx.ignore_permissions():
                korban = self.ctx.get_value(
                    "Korban Bencana", row.penerima, ["kejadian", "nama"], as_dict=True
                )
            if not korban or korban["kejadian"] != self.kejadian:
                raise ValidationError(
                    f"Baris {row.idx}: {row.penerima} bukan korban kejadian {self.kejadian}",
                    field="items",
                )
            row.nama_penerima = korban["nama"]

    def _fill_need(self, rows: list[Document]) -> None:
        sisa = sisa_kebutuhan(self.ctx, self.kejadian, exclude=None if self.is_new() else self.name)
        for row in rows:
            row.jumlah_kebutuhan = sisa.get(
                (item_key(row.item, row.satuan), row.penerima or None), 0.0
            )

    def _check_quantities(self, rows: list[Document]) -> None:
        used: dict[tuple[Any, Any], float] = {}
        for row in rows:
            jumlah = float(row.jumlah_disalurkan or 0)
            slot = (item_key(row.item, row.satuan), row.penerima or None)
            before = used.get(slot, 0.0)
            used[slot] = before + jumlah
            reason = (row.alasan_kelebihan or "").strip()
            if reason:
                continue
            need = float(row.jumlah_kebutuhan or 0)
            if before + jumlah > need + 1e-9:
                raise ValidationError(
                    f"Baris {row.idx} ({row.item}): jumlah disalurkan "
                    f"{angka(before + jumlah):g} {row.satuan} melebihi sisa kebutuhan "
                    f"{angka(need):g}; isi alasan kelebihan",
                    field="items",
                )
            if row.jumlah_tersedia not in (None, "") and jumlah > float(row.jumlah_tersedia):
                raise ValidationError(
                    f"Baris {row.idx} ({row.item}): jumlah disalurkan {angka(jumlah):g} "
                    f"melebihi stok tersedia {angka(row.jumlah_tersedia):g}; isi alasan kelebihan",
                    field="items",
                )
