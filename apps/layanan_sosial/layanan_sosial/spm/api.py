"""SPM server methods callable over REST (`/api/method/layanan_sosial.spm.api.<fn>`).

Not built yet on purpose: Target SPM, Laporan Capaian SPM and `hitung_capaian` (they need the
master data — jenis pelayanan, wilayah, penerima — that the Master/Registri modules add).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.core.api import whitelist
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
