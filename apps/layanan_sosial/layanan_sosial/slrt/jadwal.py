"""Scheduled SLRT work (declared in hooks.scheduler_events).

`ingatkan_rujukan_terlambat`: a referral whose follow-up date (`tanggal_tindak_lanjut`) has
passed while it is not finished gets its `terlambat` flag and an in-app notification for the
case's worker (`Kasus.petugas`) and the referral's author — once: a flagged referral is not
notified again, and the flag is cleared when the referral is finished or its follow-up
date is moved forward (Rujukan.validate).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

SELESAI = ("Selesai", "Ditolak")


def ingatkan_rujukan_terlambat(ctx: Context) -> list[str]:
    """Flag and notify newly overdue referrals; returns their names."""
    with ctx.ignore_permissions():
        rows = ctx.get_all(
            "Rujukan",
            filters=[
                ["tanggal_tindak_lanjut", "<", ctx.today()],
                ["workflow_state", "not in", list(SELESAI)],
                ["terlambat", "=", 0],
            ],
            fields=["name", "kasus", "owner", "nama_penerima", "tanggal_tindak_lanjut"],
            limit_page_length=0,
        )
        for row in rows:
            ctx.get_doc("Rujukan", row["name"]).db_set("terlambat", 1, update_modified=False)
            petugas = ctx.get_value("Kasus", row["kasus"], "petugas") if row["kasus"] else None
            for user in dict.fromkeys(u for u in (petugas, row["owner"]) if u):
                if not ctx.exists("User", user):
                    continue
                _beri_tahu(ctx, user, row)
    return [row["name"] for row in rows]


def _beri_tahu(ctx: Context, user: str, row: dict) -> None:
    tanggal = row["tanggal_tindak_lanjut"]
    log = ctx.new_doc(
        "Notification Log",
        for_user=user,
        type="Alert",
        subject=(
            f"Tindak lanjut rujukan {row['name']} ({row['nama_penerima'] or '-'}) terlambat: "
            f"jadwal {tanggal:%d-%m-%Y}"
        ),
        document_type="Rujukan",
        document_name=row["name"],
    ).insert()
    log.db_set("owner", user, update_modified=False)  # the recipient owns (and may read) it
