"""Site helpers shared by the test modules and tests/conftest.py: test sites on SQLite and on
MariaDB (real server, never mocked), created and dropped per need.

Test modules import these from here (`from sitekit import make_site`), never from
`conftest`: with a conftest.py in a sub-folder (tests/browser) that name is ambiguous.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).parent / "test_app"))

from layanan_sosial.core.migrate import migrate  # noqa: E402
from layanan_sosial.core.site import Site, sites  # noqa: E402

TEST_APPS = ["layanan_sosial", "layanan_test_app"]
MARIADB_ROOT = os.environ.get("LAYANAN_TEST_MARIADB", "mariadb://root@127.0.0.1:3306")


def backends() -> list[str]:
    wanted = os.environ.get("LAYANAN_TEST_BACKENDS", "sqlite,mariadb")
    return [b.strip() for b in wanted.split(",") if b.strip()]


def _root_engine() -> sa.Engine:
    from layanan_sosial.core.db.engine import normalise_url

    return sa.create_engine(normalise_url(MARIADB_ROOT + "/"), isolation_level="AUTOCOMMIT")


def make_site(
    root: Path, backend: str, *, apps: list[str] | None = None, extra: dict | None = None
) -> Site:
    """Create and migrate a brand-new site (own database) under `root`."""
    name = f"{backend}-{secrets.token_hex(4)}"
    path = root / name
    path.mkdir(parents=True)
    if backend == "sqlite":
        db_url = "sqlite:///site.db"
    else:
        db_name = f"lst_test_{secrets.token_hex(5)}"
        engine = _root_engine()
        with engine.connect() as conn:
            conn.exec_driver_sql(
                f"CREATE DATABASE `{db_name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            )
        engine.dispose()
        db_url = f"{MARIADB_ROOT}/{db_name}"
    config = {"db_url": db_url, "apps": apps or TEST_APPS, **(extra or {})}
    (path / "site_config.json").write_text(json.dumps(config))
    site = sites.get(name, root)
    migrate(site)
    return site


def drop_site(site: Site) -> None:
    url = site.db_url
    sites.forget(site.name, site.root)
    if url.startswith(("mariadb", "mysql")):
        db_name = url.rsplit("/", 1)[-1].split("?")[0]
        engine = _root_engine()
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS `{db_name}`")
        engine.dispose()


TEST_PASSWORD = "Kupang-Lontar-2026!"


def new_user(ctx, roles) -> str:
    """A new enabled user with `roles` (password TEST_PASSWORD), inside `ctx`; its email."""
    email = f"u{secrets.token_hex(4)}@uji.id"
    ctx.new_doc(
        "User",
        email=email,
        first_name=email.split("@")[0],
        new_password=TEST_PASSWORD,
        roles=[{"role": r} for r in roles],
    ).insert()
    return email
