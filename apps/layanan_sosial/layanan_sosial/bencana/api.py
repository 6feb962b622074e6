"""Bencana server methods callable over REST (`/api/method/layanan_sosial.bencana.api.<fn>`).

Every figure is permission-scoped: the caller must be able to read the kejadian, and only
the victims and distributions the caller may read are counted (kabupaten staff see their
region's)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.bencana.kebutuhan import KEJADIAN, ringkasan, usulan_item
from layanan_sosial.core.api import whitelist

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context


def _readable_kejadian(ctx: Context, kejadian: str) -> str:
    # get_doc raises DoesNotExistError / PermissionError_ for a kejadian out of reach
    return ctx.get_doc(KEJADIAN, kejadian).name


@whitelist(methods=("GET", "POST"))
def kebutuhan_vs_penyaluran(ctx: Context, kejadian: str) -> list[dict[str, Any]]:
    """Per item of the kejadian: {jenis, item, satuan, kebutuhan, direncanakan, disalurkan,
    selisih, persen}. kebutuhan = Σ victims' needs; disalurkan = Σ distributions in state
    Disalurkan/Diverifikasi; direncanakan = Rencana/Disetujui; selisih = kebutuhan −
    disalurkan; persen = disalurkan ÷ kebutuhan × 100 (2 decimals; null when no need)."""
    name = _readable_kejadian(ctx, kejadian)
    return [{k: v for k, v in row.items() if k != "kejadian"} for row in ringkasan(ctx, name)]


@whitelist(methods=("GET", "POST"))
def ambil_kebutuhan(
    ctx: Context, kejadian: str, penyaluran: str | None = None
) -> list[dict[str, Any]]:
    """Item rows for a Penyaluran Bantuan of the kejadian, filled from the victims' needs:
    {jenis, item, satuan, jumlah_kebutuhan, jumlah_disalurkan} for every item whose remaining
    need (minus other distributions, `penyaluran` itself excluded) is above 0."""
    name = _readable_kejadian(ctx, kejadian)
    return usulan_item(ctx, name, exclude=penyaluran or None)
