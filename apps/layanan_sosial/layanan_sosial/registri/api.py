"""Registri server methods callable over REST (`/api/method/layanan_sosial.registri.api.<fn>`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.core.api import whitelist
from layanan_sosial.registri import gabung

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context


@whitelist(methods=("POST",))
def gabungkan_penerima(ctx: Context, utama: str, duplikat: str) -> dict[str, Any]:
    """Merge the recipient `duplikat` into `utama` (see registri/gabung.py): references,
    versions and PPKS rows move over, empty fields are filled, differing values are kept in
    a comment. Needs write on `utama` and delete on `duplikat` (Admin Dinsos)."""
    return gabung.gabungkan(ctx, utama, duplikat)
