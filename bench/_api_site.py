"""The site both REST benchmarks use: `docs` Bench Dokumen rows over a small region tree and
a System Manager with an API key (bench_http.py against a server, profile_api.py in-process)."""

from __future__ import annotations

import _site
import bench_insert

from layanan_sosial.core.site import Site


def seed(site: Site, docs: int) -> tuple[str, str]:
    """Fill `site`; returns (the token header value, the name of one document)."""
    desa = _site.seed_wilayah(site)
    for first in range(0, docs, 5000):
        rows = [bench_insert.make_row(i, desa) for i in range(first, min(docs, first + 5000))]
        with site.begin() as ctx:
            ctx.insert_many("Bench Dokumen", rows)
    with site.begin() as ctx:
        ctx.new_doc(
            "User", email="bench@dinsos.id", first_name="Bench", roles=[{"role": "System Manager"}]
        ).insert()
        from layanan_sosial.core.users import generate_keys

        key, secret = generate_keys(ctx, "bench@dinsos.id")
        some = ctx.get_list("Bench Dokumen", limit_page_length=1, order_by="name asc", pluck="name")
    return f"token {key}:{secret}", some[0]
