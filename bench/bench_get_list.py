"""get_list latency (p50/p95/p99) with filters and sort on 100,000 documents, in-process.

Queries are the list views staff use: by status and region, by name prefix, by date range,
a region subtree (descendants of), each sorted and paged by 20, with a total count.

    .venv/bin/python bench/bench_get_list.py [--backend mariadb|sqlite] [--rows 100000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import _site
import bench_insert

FIELDS = ["name", "nama_lengkap", "nik", "wilayah", "status", "tanggal_lahir", "modified"]


def queries(rng: random.Random, desa: list[str]) -> list[tuple[str, dict]]:
    kab = f"53.{rng.randint(1, 22):02d}"
    return [
        (
            "status + wilayah, modified desc",
            {
                "filters": {"status": "Aktif", "wilayah": rng.choice(desa)},
                "order_by": "modified desc",
            },
        ),
        (
            "name like, by nama",
            {
                "filters": [["nama_lengkap", "like", f"Penerima {rng.randint(1, 99)}%"]],
                "order_by": "nama_lengkap asc",
            },
        ),
        (
            "birth date between, status",
            {
                "filters": [
                    ["tanggal_lahir", "between", ["1960-01-01", "1965-12-31"]],
                    ["status", "=", "Nonaktif"],
                ],
                "order_by": "tanggal_lahir desc",
            },
        ),
        (
            "descendants of kabupaten",
            {
                "filters": [["wilayah", "descendants of", kab]],
                "order_by": "modified desc",
            },
        ),
        ("page 3 of all, default sort", {"limit_start": 40}),
    ]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(title: str, timings: dict[str, list[float]]) -> None:
    every = [t for values in timings.values() for t in values]
    print(title + ":")
    for label, values in [*timings.items(), ("all queries", every)]:
        print(
            f"  {label:34s} p50 {statistics.median(values):6.2f}  "
            f"p95 {percentile(values, 0.95):6.2f}  p99 {percentile(values, 0.99):6.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="mariadb", choices=["mariadb", "sqlite"])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    site = _site.create(args.backend)
    try:
        desa = _site.seed_wilayah(site)
        started = time.perf_counter()
        for first in range(0, args.rows, 10_000):
            rows = [
                bench_insert.make_row(i, desa) for i in range(first, min(args.rows, first + 10_000))
            ]
            for row in rows:
                row.pop("baris")
            with site.begin() as ctx:
                ctx.insert_many("Bench Dokumen", rows)
        print(
            f"backend: {args.backend}; loaded {args.rows:,} rows in {time.perf_counter() - started:.0f} s"
        )
        rng = random.Random(7)
        lists: dict[str, list[float]] = {}
        counts: dict[str, list[float]] = {}
        with site.begin(write=False) as ctx:
            for _ in range(args.repeat):
                for label, query in queries(rng, desa):
                    start = time.perf_counter()
                    ctx.get_list("Bench Dokumen", fields=FIELDS, limit_page_length=20, **query)
                    middle = time.perf_counter()
                    ctx.get_count("Bench Dokumen", filters=query.get("filters"))
                    lists.setdefault(label, []).append((middle - start) * 1000)
                    counts.setdefault(label, []).append((time.perf_counter() - middle) * 1000)
        report("get_list, 20 rows, milliseconds", lists)
        report("get_count of the same filters (the list's total), milliseconds", counts)
    finally:
        _site.drop(site)


if __name__ == "__main__":
    main()
