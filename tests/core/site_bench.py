"""A throw-away bench for CLI, site and web tests: its own sites folder (LAYANAN_SITES_DIR),
the `layanan` command in-process (click's CliRunner) or as a real subprocess, and cleanup
that drops every MariaDB database and user the test created."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import make_url

from layanan_sosial.core.cli.main import cli
from layanan_sosial.core.exceptions import SiteError
from layanan_sosial.core.site import sites
from layanan_sosial.core.sites_admin import DatabaseAdmin, drop_mariadb_database

LAYANAN = [sys.executable, "-m", "layanan_sosial.core.cli.main"]
MARIADB_ROOT = os.environ.get("LAYANAN_TEST_MARIADB", "mariadb://root@127.0.0.1:3306")
ADMIN_PASSWORD = "Admin-Kupang-2026!"


def mariadb_enabled() -> bool:
    wanted = os.environ.get("LAYANAN_TEST_BACKENDS", "sqlite,mariadb")
    return "mariadb" in [b.strip() for b in wanted.split(",")]


needs_mariadb = pytest.mark.skipif(not mariadb_enabled(), reason="MariaDB not in backends")


def mariadb_admin() -> DatabaseAdmin:
    return DatabaseAdmin.from_options(MARIADB_ROOT, None, None)


class Bench:
    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`layanan ARGS` as a real process."""
        result = subprocess.run(
            [*LAYANAN, *args], capture_output=True, text=True, env=dict(os.environ), timeout=180
        )
        if check and result.returncode != 0:
            raise AssertionError(f"layanan {' '.join(args)}:\n{result.stdout}\n{result.stderr}")
        return result

    def invoke(self, *args: str, check: bool = True) -> Result:
        """`layanan ARGS` in this process (fast; monkeypatches apply)."""
        result = CliRunner().invoke(cli, list(args), prog_name="layanan")
        if check and result.exit_code != 0:
            raise AssertionError(
                f"layanan {' '.join(args)} → {result.exit_code}:\n{result.output}"
            ) from result.exception
        return result

    def new_site(self, name: str, *extra: str) -> None:
        self.invoke("new-site", name, "--admin-password", ADMIN_PASSWORD, *extra)

    def config(self, name: str) -> dict:
        return json.loads((self.root / name / "site_config.json").read_text())

    def cleanup(self) -> None:
        for path in self.root.glob("*/site_config.json"):
            name = path.parent.name
            sites.forget(name, self.root)
            url = self.config(name).get("db_url", "")
            if url.startswith("mariadb") and make_url(url).username not in (None, "root"):
                try:
                    drop_mariadb_database(mariadb_admin(), url)
                except SiteError:
                    pass  # a test pointed the site at an unreachable server on purpose


def open_bench(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Bench]:
    bench = Bench(tmp_path / "sites")
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(bench.root))
    monkeypatch.delenv("LAYANAN_SITE", raising=False)
    try:
        yield bench
    finally:
        bench.cleanup()


def error_lines(text: str) -> list[str]:
    """The non-empty lines of an error output."""
    return [line for line in text.splitlines() if line.strip()]
