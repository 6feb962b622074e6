"""The recipient list of one kabupaten on 1,000,000 Penerima Manfaat (MariaDB, in-process).

Generates N recipients (default 1,000,000) spread over every desa/kelurahan of the 22
kabupaten/kota (the Wilayah fixture, 3,780 regions) on a throw-away site, then measures the
list staff open every day: Penerima Manfaat of one kabupaten (`wilayah` descendants of the
kabupaten, inclusive), sorted by `modified desc` and by `nama_lengkap asc`, page of 20, plus
the total count — as a kabupaten officer scoped by a User Permission on Wilayah, and as
Administrator with the explicit filter. p50/p95/p99 in ms over --repeat runs per query
shape, cycling through the 22 kabupaten. Target: p95 ≤ 50 ms.

    .venv/bin/python bench/bench_penerima_1m.py [--backend mariadb|sqlite] [--rows 1000000]
        [--repeat 220] [--reuse] [--keep]

--reuse keeps the generated database (under $TMPDIR/layanan-bench-pm/) and uses it again on
the next run when it holds --rows recipients (generating 1M rows takes a few minutes);
--keep only skips dropping it at the end. Rows are written in batches of 10,000 on the
engine's fast INSERT path (`core/db/fastpath.py`) with values that pass the Penerima
Manfaat rules (valid NIK matching sex and birth date, masked NIK, Select options).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from layanan_sosial.core.db.engine import normalise_url
from layanan_sosial.core.db.fastpath import insert_rows
from layanan_sosial.core.db.tables import table_for
from layanan_sosial.core.migrate import migrate
from layanan_sosial.core.site import Site, sites
from layanan_sosial.demo.nama import (
    PembuatNIK,
    jenis_kelamin,
    kabupaten_dari,
    nama_orang,
    tanggal_lahir,
)
from layanan_sosial.registri.nik import mask_nik

DOCTYPE = "Penerima Manfaat"
MARIADB_ROOT = os.environ.get("LAYANAN_BENCH_MARIADB", "mariadb://root@127.0.0.1:3306")
DB_NAME = "lst_bench_penerima"
BATCH = 10_000
FIELDS = ["name", "nama_lengkap", "nik_tersamar", "jenis_kelamin", "wilayah", "status", "modified"]
STATUS = ("Aktif",) * 17 + ("Nonaktif", "Pindah", "Meninggal")
DTKS = ("Terdaftar", "Terdaftar", "Belum", "Diusulkan")
PASSWORD = "Bench-Kabupaten-2026!"


def _root(backend: str) -> Path:
    return Path(tempfile.gettempdir()) / "layanan-bench-pm" / backend


def _site_name(backend: str) -> str:
    return f"bench-pm-{backend}"


def open_site(backend: str, fresh: bool) -> Site:
    """The benchmark site; `fresh` drops whatever a previous run left and creates it anew."""
    root = _root(backend)
    name = _site_name(backend)
    config = root / name / "site_config.json"
    if fresh or not config.exists():
        drop_site(backend)
        (root / name).mkdir(parents=True, exist_ok=True)
        if backend == "mariadb":
            engine = sa.create_engine(
                normalise_url(MARIADB_ROOT + "/"), isolation_level="AUTOCOMMIT"
            )
            with engine.connect() as conn:
                conn.exec_driver_sql(
                    f"CREATE DATABASE `{DB_NAME}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
                )
            engine.dispose()
            url = f"{MARIADB_ROOT}/{DB_NAME}"
        else:
            url = "sqlite:///site.db"
        config.write_text(json.dumps({"db_url": url, "apps": ["layanan_sosial"]}))
    site = sites.get(name, root)
    migrate(site)  # creates tables, loads the Wilayah fixture; a no-op when reused
    return site


def drop_site(backend: str) -> None:
    root = _root(backend)
    name = _site_name(backend)
    sites.forget(name, root)  # a no-op when nothing is cached
    if backend == "mariadb":
        engine = sa.create_engine(normalise_url(MARIADB_ROOT + "/"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{DB_NAME}`")
        engine.dispose()
    for file in (root / name).glob("*"):
        if file.is_file():
            file.unlink()


def regions(site: Site) -> tuple[list[str], list[str]]:
    """(desa and kelurahan codes, the 22 kabupaten/kota codes) from the Wilayah fixture."""
    with site.begin(write=False) as ctx:
        rows = ctx.get_all("Wilayah", fields=["name", "tingkat"], order_by="name asc")
    desa = [r["name"] for r in rows if r["tingkat"] in ("Desa", "Kelurahan")]
    kab = [r["name"] for r in rows if r["tingkat"] in ("Kabupaten", "Kota")]
    return desa, kab


def count_rows(site: Site) -> int:
    with site.begin(write=False) as ctx:
        return ctx.get_count(DOCTYPE)


def generate(site: Site, rows: int, desa: list[str]) -> float:
    """Write `rows` recipients; returns the seconds taken."""
    rng = random.Random(20260101)
    niks = PembuatNIK()
    today = dt.date(2026, 6, 30)
    start_modified = dt.datetime(2024, 1, 1)
    span = int((dt.datetime(2026, 6, 30) - start_modified).total_seconds())
    with site.begin(write=False) as ctx:
        meta = ctx.get_meta(DOCTYPE)
    table = table_for(meta)
    columns = tuple(c for c, _ in meta.column_types)
    started = time.perf_counter()
    for first in range(0, rows, BATCH):
        batch: list[tuple[Any, ...]] = []
        for i in range(first, min(rows, first + BATCH)):
            wilayah = desa[rng.randrange(len(desa))]
            perempuan = rng.random() < 0.52
            lahir = tanggal_lahir(rng, 0, 90, today)
            nik = niks.baru(rng, wilayah, lahir, perempuan)
            created = start_modified + dt.timedelta(seconds=rng.randrange(span))
            modified = created + dt.timedelta(seconds=rng.randrange(86_400 * 30))
            values = {
                "name": f"PM-B-{i + 1:07d}",
                "owner": "Administrator",
                "modified_by": "Administrator",
                "creation": created,
                "modified": modified,
                "docstatus": 0,
                "idx": 0,
                "naming_series": "PM-.YYYY.-.#####",
                "nik": nik,
                "nik_tersamar": mask_nik(nik),
                "no_kk": f"{nik[:6]}{rng.randrange(10**10):010d}",
                "nama_lengkap": nama_orang(rng, kabupaten_dari(wilayah), perempuan),
                "jenis_kelamin": jenis_kelamin(perempuan),
                "tanggal_lahir": lahir,
                "wilayah": wilayah,
                "rt": f"{rng.randint(1, 20):03d}",
                "rw": f"{rng.randint(1, 8):03d}",
                "status_dtks": DTKS[rng.randrange(len(DTKS))],
                "desil": rng.randint(1, 6),
                "status": STATUS[rng.randrange(len(STATUS))],
                "persetujuan_data": 0,
            }
            batch.append(tuple(values.get(c) for c in columns))
        with site.begin() as ctx:
            insert_rows(ctx.conn, table.name, columns, batch)
        done = min(rows, first + BATCH)
        elapsed = time.perf_counter() - started
        print(f"  {done:>9,} rows  {elapsed:6.1f} s  ({done / elapsed:,.0f} rows/s)", flush=True)
    return time.perf_counter() - started


def scoped_users(site: Site, kabupaten: list[str]) -> dict[str, str]:
    """One Pekerja Sosial per kabupaten, limited by a User Permission on Wilayah."""
    users = {}
    with site.begin() as ctx:
        for kab in kabupaten:
            email = f"peksos.{kab.replace('.', '')}@bench.dinsos.id"
            users[kab] = email
            if ctx.exists("User", email):
                continue
            ctx.new_doc(
                "User",
                email=email,
                first_name=f"Peksos {kab}",
                roles=[{"role": "Pekerja Sosial"}],
            ).insert()
            ctx.new_doc(
                "User Permission",
                user=email,
                allow="Wilayah",
                for_value=kab,
                apply_to_all_doctypes=0,
                applicable_for=DOCTYPE,
            ).insert()
    return users


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def measure(site: Site, kabupaten: list[str], users: dict[str, str], repeat: int) -> dict:
    """{label: [ms, ...]} for every query shape."""
    timings: dict[str, list[float]] = {}

    def timed(label: str, fn) -> Any:  # noqa: ANN001
        start = time.perf_counter()
        result = fn()
        timings.setdefault(label, []).append((time.perf_counter() - start) * 1000)
        return result

    rows_seen = []
    with site.begin(write=False) as ctx:
        # warm-up: meta, permission caches, the connection
        ctx.get_list(DOCTYPE, fields=FIELDS, limit_page_length=20)
        for run in range(repeat):
            kab = kabupaten[run % len(kabupaten)]
            ctx.set_user("Administrator")
            filters = [["wilayah", "descendants of (inclusive)", kab]]
            for order in ("modified desc", "nama_lengkap asc"):
                rows = timed(
                    f"Administrator + filter, {order}",
                    lambda o=order, f=filters: ctx.get_list(
                        DOCTYPE, fields=FIELDS, filters=f, order_by=o, limit_page_length=20
                    ),
                )
                rows_seen.append(len(rows))
            timed(
                "Administrator + filter, count", lambda f=filters: ctx.get_count(DOCTYPE, filters=f)
            )
            ctx.set_user(users[kab])
            for order in ("modified desc", "nama_lengkap asc"):
                rows = timed(
                    f"kabupaten user (scope), {order}",
                    lambda o=order: ctx.get_list(
                        DOCTYPE, fields=FIELDS, order_by=o, limit_page_length=20
                    ),
                )
                assert all(r["wilayah"].startswith(kab) for r in rows), "scope leaked"
            timed("kabupaten user (scope), count", lambda: ctx.get_count(DOCTYPE))
    return {"timings": timings, "min_rows": min(rows_seen) if rows_seen else 0}


def report(timings: dict[str, list[float]]) -> dict[str, dict[str, float]]:
    out = {}
    print(f"{'query (page of 20 / count)':44s} {'p50':>7s} {'p95':>7s} {'p99':>7s}   ms")
    for label, values in timings.items():
        figures = {
            "p50": statistics.median(values),
            "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99),
            "runs": len(values),
        }
        out[label] = figures
        print(
            f"{label:44s} {figures['p50']:7.2f} {figures['p95']:7.2f} {figures['p99']:7.2f}"
            f"   ({len(values)} runs)"
        )
    return out


def explain(site: Site, kab: str, user: str) -> None:
    """Print the MariaDB plan of the scoped list query (what `--explain` shows)."""
    from layanan_sosial.core.query.get_list import build_select

    with site.begin(write=False) as ctx:
        ctx.set_user(user)
        for order in ("modified desc", "nama_lengkap asc"):
            _, stmt = build_select(ctx, DOCTYPE, fields=FIELDS, order_by=order)
            stmt = stmt.limit(20)
            sql = str(stmt.compile(ctx.conn, compile_kwargs={"literal_binds": True}))
            print(f"-- {order}\n{sql[:300]}...")
            for row in ctx.conn.exec_driver_sql("EXPLAIN " + sql):
                print("  ", tuple(row))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", default="mariadb", choices=["mariadb", "sqlite"])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=220)
    parser.add_argument("--reuse", action="store_true", help="keep the database for the next run")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args(argv)

    site = open_site(args.backend, fresh=not args.reuse)
    try:
        desa, kabupaten = regions(site)
        have = count_rows(site)
        if have != args.rows:
            if have:
                print(f"database holds {have:,} recipients, not {args.rows:,}: generating anew")
                site_fresh = open_site(args.backend, fresh=True)
                site, have = site_fresh, 0
            print(f"generating {args.rows:,} Penerima Manfaat over {len(desa):,} desa/kelurahan")
            seconds = generate(site, args.rows, desa)
            print(f"generated in {seconds:.0f} s ({args.rows / seconds:,.0f} rows/s)")
        else:
            print(f"reusing {have:,} recipients from the previous run")
        if site.is_mariadb:
            with site.begin() as ctx:
                ctx.conn.exec_driver_sql(f"ANALYZE TABLE `{table_for(ctx.get_meta(DOCTYPE)).name}`")
        users = scoped_users(site, kabupaten)
        if args.explain and site.is_mariadb:
            explain(site, kabupaten[0], users[kabupaten[0]])
        print(
            f"backend {args.backend}; {args.rows:,} recipients; {len(kabupaten)} kabupaten/kota; "
            f"{args.repeat} runs per query shape"
        )
        result = measure(site, kabupaten, users, args.repeat)
        figures = report(result["timings"])
        worst = max(f["p95"] for f in figures.values())
        print(f"worst p95: {worst:.2f} ms (target ≤ 50 ms): {'OK' if worst <= 50 else 'TOO SLOW'}")
        return {"figures": figures, "min_rows": result["min_rows"], "rows": args.rows}
    finally:
        if not (args.reuse or args.keep):
            drop_site(args.backend)


if __name__ == "__main__":
    main(sys.argv[1:])
