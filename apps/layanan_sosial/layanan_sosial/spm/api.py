"""SPM server methods callable over REST (`/api/method/layanan_sosial.spm.api.<fn>`).

- `indeks_capaian(persen_penerima, persen_mutu)`: the pure formula with the site's rules.
- `hitung_capaian(tahun, jenis_layanan, wilayah, triwulan=None)`: achievement from data
  (Target SPM + the sources of spm/sumber.py), see spm/hitung.py for the counting rules.
- `generate_laporan(tahun, triwulan, wilayah)`: the quarterly snapshot (Laporan Capaian SPM).
Bad input → ValidationError naming the field (HTTP 417 with `_field_errors`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.core.api import whitelist
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.spm.capaian import aturan_dari, hitung_indeks

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

PENGATURAN = "Pengaturan SPM"


def aturan_situs(ctx: Context):
    """The site's weights and bands (Pengaturan SPM; its defaults when never saved)."""
    with ctx.ignore_permissions():
        return aturan_dari(ctx.get_doc(PENGATURAN))


@whitelist(methods=("GET", "POST"))
def indeks_capaian(ctx: Context, persen_penerima: Any, persen_mutu: Any) -> dict[str, Any]:
    """index = bobot_penerima × A + bobot_mutu × B (A, B capped at 100), with its category.

    Returns {"indeks": float (2 decimals), "kategori": str, "dibatasi": [capped inputs]}.
    """
    hasil = hitung_indeks(persen_penerima, persen_mutu, aturan_situs(ctx))
    return {**hasil, "indeks": float(hasil["indeks"])}


# -- achievement from data --------------------------------------------------------------

JENIS = "Jenis Layanan SPM"
LAPORAN = "Laporan Capaian SPM"


def _bulat(value: Any, field: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(
            f"{field} harus bilangan bulat {low}–{high} (diterima: {value!r})", field=field
        ) from None
    if isinstance(value, float) and value != number:
        raise ValidationError(f"{field} harus bilangan bulat", field=field)
    if not low <= number <= high:
        raise ValidationError(f"{field} harus antara {low} dan {high}", field=field)
    return number


def _periksa(
    ctx: Context, tahun: Any, wilayah: Any, triwulan: Any, jenis_layanan: Any = None
) -> tuple[int, str, int | None]:
    if tahun in (None, ""):
        raise ValidationError("tahun wajib diisi", field="tahun")
    tahun_ = _bulat(tahun, "tahun", 2000, 2100)
    triwulan_ = None if triwulan in (None, "", 0, "0") else _bulat(triwulan, "triwulan", 1, 4)
    if not wilayah or not isinstance(wilayah, str):
        raise ValidationError("wilayah wajib diisi (kode Kemendagri)", field="wilayah")
    with ctx.ignore_permissions():
        if not ctx.exists("Wilayah", wilayah):
            raise ValidationError(f"Wilayah {wilayah} tidak ditemukan", field="wilayah")
        if jenis_layanan is not None and (
            not isinstance(jenis_layanan, str) or not ctx.exists(JENIS, jenis_layanan)
        ):
            raise ValidationError(
                f"Jenis layanan SPM {jenis_layanan!r} tidak ditemukan", field="jenis_layanan"
            )
    return tahun_, wilayah, triwulan_


def _json(hasil: dict[str, Any]) -> dict[str, Any]:
    return {
        **hasil,
        "persen_penerima": float(hasil["persen_penerima"]),
        "persen_mutu": float(hasil["persen_mutu"]),
        "indeks": float(hasil["indeks"]),
    }


@whitelist(methods=("GET", "POST"))
def hitung_capaian(
    ctx: Context, tahun: Any, jenis_layanan: Any, wilayah: Any, triwulan: Any = None
) -> dict[str, Any]:
    """SPM achievement of one service type in a region (and its descendants) for a year,
    or year-to-date up to `triwulan` (1–4).

    Returns {jumlah_sasaran, jumlah_terlayani, persen_penerima, persen_mutu, indeks,
    kategori, dibatasi, jumlah_item_wajib, jumlah_item_terpenuhi}; percentages and index
    rounded to 2 decimals only at the end. Refused when no Target SPM covers the request.
    """
    from layanan_sosial.spm.hitung import hitung

    tahun_, wilayah_, triwulan_ = _periksa(ctx, tahun, wilayah, triwulan, jenis_layanan)
    hasil = hitung(
        ctx,
        tahun=tahun_,
        jenis_layanan=[jenis_layanan],
        akar=wilayah_,
        sampai_triwulan=triwulan_,
        aturan=aturan_situs(ctx),
    )[(wilayah_, jenis_layanan)]
    if hasil is None:
        raise ValidationError(
            f"Belum ada Target SPM {jenis_layanan} tahun {tahun_} untuk wilayah {wilayah_}",
            field="jenis_layanan",
        )
    return _json(hasil)


def rincian_laporan(ctx: Context, tahun: int, triwulan: int, wilayah: str) -> list[dict[str, Any]]:
    """One row per service type that has a target in the region, in code order."""
    from layanan_sosial.spm.hitung import hitung

    with ctx.ignore_permissions():
        semua = ctx.get_all(JENIS, pluck="name", order_by="name asc")
    hasil = hitung(
        ctx,
        tahun=tahun,
        jenis_layanan=semua,
        akar=wilayah,
        sampai_triwulan=triwulan,
        aturan=aturan_situs(ctx),
    )
    rows = []
    for jenis in semua:
        h = hasil[(wilayah, jenis)]
        if h is None:
            continue
        rows.append(
            {
                "jenis_layanan_spm": jenis,
                **{k: v for k, v in _json(h).items() if k not in ("dibatasi",)},
            }
        )
    return rows


@whitelist(methods=("POST",))
def generate_laporan(ctx: Context, tahun: Any, triwulan: Any, wilayah: Any) -> dict[str, Any]:
    """Build (or refresh, while still Draft) the Laporan Capaian SPM of a quarter and region.

    A snapshot already Diajukan or Disetujui is never recomputed: return it to Draft (or
    cancel and amend an approved one) first. Returns the document as a dict."""
    if triwulan in (None, ""):
        raise ValidationError("triwulan wajib diisi (1–4)", field="triwulan")
    tahun_, wilayah_, triwulan_ = _periksa(ctx, tahun, wilayah, triwulan)
    rows = rincian_laporan(ctx, tahun_, triwulan_, wilayah_)
    if not rows:
        raise ValidationError(
            f"Belum ada Target SPM tahun {tahun_} untuk wilayah {wilayah_}", field="tahun"
        )
    fields = [
        "jenis_layanan_spm",
        "jumlah_sasaran",
        "jumlah_terlayani",
        "persen_penerima",
        "persen_mutu",
        "indeks",
        "kategori",
    ]
    rincian = [{f: row[f] for f in fields} for row in rows]
    ada = ctx.get_all(
        LAPORAN,
        filters={
            "tahun": tahun_,
            "triwulan": triwulan_,
            "wilayah": wilayah_,
            "docstatus": ["<", 2],
        },
        fields=["name", "status"],
    )
    if ada and ada[0]["status"] != "Draft":
        raise ValidationError(
            f"Laporan {ada[0]['name']} sudah {ada[0]['status']}: potret tidak dihitung ulang",
            field="triwulan",
        )
    if ada:
        doc = ctx.get_doc(LAPORAN, ada[0]["name"], for_update=True)
        doc.set("rincian", [])
        for row in rincian:
            doc.append("rincian", row)
        doc.tanggal_dihitung = ctx.now()
        doc.save()
    else:
        doc = ctx.new_doc(
            LAPORAN,
            tahun=tahun_,
            triwulan=triwulan_,
            wilayah=wilayah_,
            tanggal_dihitung=ctx.now(),
            rincian=rincian,
        ).insert()
    return doc.as_dict(json_ready=True)
