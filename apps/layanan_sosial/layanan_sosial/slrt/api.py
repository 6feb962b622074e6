"""SLRT server methods callable over REST (`/api/method/layanan_sosial.slrt.api.<fn>`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.core.api import whitelist
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.core.workflow.engine import apply_workflow, available
from layanan_sosial.slrt import indikator

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

AKSI_MITRA = ("Terima", "Tolak", "Laporkan Hasil")
ISIAN_MITRA = ("alasan_penolakan", "hasil_layanan", "catatan_mitra")


@whitelist(methods=("POST",))
def buat_kasus(
    ctx: Context, pengaduan: str, penerima_manfaat: str | None = None, petugas: str | None = None
) -> dict[str, Any]:
    """Turn a verified complaint into an SLRT case: the Kasus points at the Pengaduan, the
    Pengaduan at the Kasus, and the complaint moves on to Ditindaklanjuti when the caller
    may take that step. Needs read on the complaint and create on Kasus."""
    aduan = ctx.get_doc("Pengaduan", pengaduan)
    if aduan.kasus:
        raise ValidationError(
            f"Pengaduan {pengaduan} sudah menjadi kasus {aduan.kasus}", field="kasus"
        )
    if aduan.workflow_state not in ("Diverifikasi", "Ditindaklanjuti"):
        raise ValidationError(
            f"Pengaduan harus diverifikasi dulu sebelum dijadikan kasus "
            f"(status sekarang: {aduan.workflow_state})",
            field="workflow_state",
        )
    penerima = penerima_manfaat or aduan.penerima_manfaat
    if not penerima:
        raise ValidationError(
            "Pilih Penerima Manfaat yang terdaftar untuk kasus ini", field="penerima_manfaat"
        )
    kasus = ctx.new_doc(
        "Kasus",
        penerima_manfaat=penerima,
        pengaduan=aduan.name,
        wilayah=aduan.wilayah,
        petugas=petugas or ctx.user,
    ).insert()
    aduan = ctx.get_doc("Pengaduan", pengaduan)  # after_insert of Kasus wrote the back link
    if aduan.workflow_state == "Diverifikasi":
        if not aduan.penerima_manfaat or not aduan.tindak_lanjut:
            aduan.penerima_manfaat = aduan.penerima_manfaat or penerima
            aduan.tindak_lanjut = (
                aduan.tindak_lanjut or f"Ditangani sebagai kasus SLRT {kasus.name}"
            )
            aduan.save()
        if any(t.action == "Tindak Lanjuti" for t in available(ctx, aduan)):
            aduan = apply_workflow(ctx, aduan, "Tindak Lanjuti")
    return {"kasus": kasus.name, "pengaduan": aduan.name, "status_pengaduan": aduan.workflow_state}


@whitelist(methods=("POST",))
def tanggapi_rujukan(
    ctx: Context,
    rujukan: str,
    tindakan: str,
    hasil_layanan: str | None = None,
    alasan_penolakan: str | None = None,
    catatan_mitra: str | None = None,
) -> dict[str, Any]:
    """The receiving partner's answer to a referral addressed to it: `tindakan` is Terima,
    Tolak (with alasan_penolakan) or Laporkan Hasil (with hasil_layanan). The partner needs
    read/write on this Rujukan only (its User Permission on Lembaga Mitra), never on the
    Kasus. Returns {name, workflow_state}."""
    if tindakan not in AKSI_MITRA:
        raise ValidationError(
            f"Tindakan mitra harus salah satu dari: {', '.join(AKSI_MITRA)}", field="tindakan"
        )
    doc = ctx.get_doc("Rujukan", rujukan)  # read permission: another Lembaga's is refused
    isian = {
        "hasil_layanan": hasil_layanan,
        "alasan_penolakan": alasan_penolakan,
        "catatan_mitra": catatan_mitra,
    }
    # The links Dinsos set stay as they are (Rujukan.validate refuses any change outside
    # the partner's fields); the engine re-checks kept links for existence only, so the
    # partner needs no right on Kasus or Penerima Manfaat.
    if any(v is not None for v in isian.values()):
        for field, value in isian.items():
            if value is not None:
                doc.set(field, value)
        doc.save()
    doc = apply_workflow(ctx, doc, tindakan)
    return {"name": doc.name, "workflow_state": doc.workflow_state}


@whitelist(methods=("GET", "POST"))
def indikator_monitoring(
    ctx: Context, wilayah: str | None = None, dari: Any = None, sampai: Any = None
) -> dict[str, Any]:
    """Monitoring indicators (see slrt/indikator.py for the definitions), over what the
    caller may read: {wilayah, dari, sampai, pengaduan{...}, kasus{...}, kepuasan{...}}."""
    return indikator.indikator(ctx, wilayah=wilayah, dari=dari, sampai=sampai)


@whitelist(methods=("GET", "POST"))
def rujukan_terlambat(ctx: Context, wilayah: str | None = None) -> list[dict[str, Any]]:
    """Referrals past their follow-up date (tanggal_tindak_lanjut before today) that are
    not finished — the overdue follow-up flag, over what the caller may read."""
    filters: list[list[Any]] = [
        ["tanggal_tindak_lanjut", "<", ctx.today()],
        ["workflow_state", "not in", ["Selesai", "Ditolak"]],
        *indikator.filter_wilayah(wilayah),
    ]
    return ctx.get_all(
        "Rujukan",
        fields=[
            "name",
            "kasus",
            "nama_penerima",
            "lembaga_mitra",
            "workflow_state",
            "tanggal_rujukan",
            "tanggal_tindak_lanjut",
        ],
        filters=filters,
        order_by="tanggal_tindak_lanjut asc",
        as_dict=True,
    )
