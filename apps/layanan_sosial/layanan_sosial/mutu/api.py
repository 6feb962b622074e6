"""Mutu server methods callable over REST (`/api/method/layanan_sosial.mutu.api.<fn>`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.core.api import whitelist
from layanan_sosial.core.api.request_args import json_arg
from layanan_sosial.mutu.ikm import UNSUR, hitung

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

SURVEI = "Survei Kepuasan"


@whitelist(methods=("GET", "POST"))
def hitung_ikm(ctx: Context, filters: Any = None) -> dict[str, Any]:
    """IKM (PermenPANRB 14/2017) over the Survei Kepuasan responses matching `filters`
    (Frappe syntax; the caller's read permissions apply).

    Returns {jumlah_responden, nrr [9 values, u1..u9], nilai_indeks (1–4), ikm (25–100,
    2 decimals), mutu A/B/C/D, kinerja}. No matching response is not an error: the answer
    is jumlah_responden 0 with nrr/ikm/mutu/kinerja None.
    """
    rows = ctx.get_list(
        SURVEI, fields=list(UNSUR), filters=json_arg(filters, "filters"), limit_page_length=0
    )
    return hitung(rows)
