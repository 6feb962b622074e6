"""Throw-away benchmark sites (SQLite file or a fresh MariaDB database)."""

from __future__ import annotations

import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent / "bench_app"))

from layanan_sosial.core.db.engine import normalise_url  # noqa: E402
from layanan_sosial.core.migrate import migrate  # noqa: E402
from layanan_sosial.core.site import Site, sites  # noqa: E402

MARIADB_ROOT = os.environ.get("LAYANAN_BENCH_MARIADB", "mariadb://root@127.0.0.1:3306")
APPS = ["layanan_sosial", "layanan_bench"]


def create(backend: str) -> Site:
    root = Path(tempfile.mkdtemp(prefix="layanan-bench-"))
    name = f"bench-{backend}"
    (root / name).mkdir()
    if backend == "mariadb":
        db = f"lst_bench_{secrets.token_hex(4)}"
        engine = sa.create_engine(normalise_url(MARIADB_ROOT + "/"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE `{db}` CHARACTER SET utf8mb4")
        engine.dispose()
        url = f"{MARIADB_ROOT}/{db}"
    else:
        url = "sqlite:///site.db"
    (root / name / "site_config.json").write_text(json.dumps({"db_url": url, "apps": APPS}))
    site = sites.get(name, root)
    migrate(site)
    return site


def drop(site: Site) -> None:
    url = site.db_url
    sites.forget(site.name, site.root)
    if url.startswith("mariadb"):
        engine = sa.create_engine(normalise_url(MARIADB_ROOT + "/"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{url.rsplit('/', 1)[1]}`")
        engine.dispose()


def seed_wilayah(site: Site, kabupaten: int = 22, desa_per_kab: int = 40) -> list[str]:
    """A small region tree: province → kabupaten → desa; returns the desa codes."""
    rows = [{"kode": "53", "nama": "NTT"}]
    desa = []
    for k in range(1, kabupaten + 1):
        kab = f"53.{k:02d}"
        rows.append({"kode": kab, "nama": f"Kab {k}", "induk": "53"})
        for d in range(1, desa_per_kab + 1):
            code = f"{kab}.{d:04d}"
            rows.append({"kode": code, "nama": f"Desa {d}", "induk": kab})
            desa.append(code)
    with site.begin() as ctx:
        ctx.insert_many("Bench Wilayah", rows)
    return desa
