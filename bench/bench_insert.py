"""Insert throughput: single inserts (one transaction each) and the bulk path.

Document: "Bench Dokumen", 10 data fields (naming series, unique NIK, Link, Selects, Date,
Int, Currency, Text, Check) and one child row; full validation and hooks in both paths.

    .venv/bin/python bench/bench_insert.py [--backend mariadb|sqlite] [--single N] [--bulk N]
"""

from __future__ import annotations

import argparse
import random
import time

import _site


def make_row(i: int, desa: list[str]) -> dict:
    rng = random.Random(i)
    return {
        "nama_lengkap": f"Penerima {i}",
        "nik": f"53{i:014d}",
        "jenis_kelamin": rng.choice(["Laki-laki", "Perempuan"]),
        "tanggal_lahir": f"19{rng.randint(40, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        "wilayah": rng.choice(desa),
        "status": rng.choice(["Aktif", "Nonaktif"]),
        "desil": rng.randint(1, 10),
        "penghasilan": rng.randint(0, 5_000_000),
        "alamat": f"Jl. Contoh No. {i}",
        "aktif": 1,
        "baris": [{"layanan": "Permakanan", "jumlah": rng.randint(1, 30)}],
    }


def bench_single(site, n: int, desa: list[str], offset: int) -> float:
    start = time.perf_counter()
    for i in range(offset, offset + n):
        with site.begin() as ctx:
            ctx.new_doc("Bench Dokumen", make_row(i, desa)).insert()
    return n / (time.perf_counter() - start)


def bench_bulk(
    site, n: int, desa: list[str], offset: int, batch: int = 5000, child: bool = True
) -> float:
    rows = [make_row(i, desa) for i in range(offset, offset + n)]
    if not child:
        for row in rows:
            row.pop("baris")
    start = time.perf_counter()
    for first in range(0, n, batch):
        with site.begin() as ctx:
            ctx.insert_many("Bench Dokumen", rows[first : first + batch])
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="mariadb", choices=["mariadb", "sqlite"])
    parser.add_argument("--single", type=int, default=2000)
    parser.add_argument("--bulk", type=int, default=50000)
    args = parser.parse_args()
    site = _site.create(args.backend)
    try:
        desa = _site.seed_wilayah(site)
        bench_single(site, 100, desa, 10_000_000)  # warm up caches and the pool
        single = bench_single(site, args.single, desa, 0)
        bulk = bench_bulk(site, args.bulk, desa, 1_000_000)
        flat = bench_bulk(site, args.bulk, desa, 2_000_000, child=False)
        print(f"backend: {args.backend}")
        print(f"single inserts (1 doc + 1 child row per transaction): {single:,.0f} docs/s")
        print(
            f"bulk insert_many, doc + 1 child row, 5,000 per tx:    {bulk:,.0f} docs/s "
            f"({2 * bulk:,.0f} table rows/s)"
        )
        print(f"bulk insert_many, doc without child rows:             {flat:,.0f} docs/s")
    finally:
        _site.drop(site)


if __name__ == "__main__":
    main()
