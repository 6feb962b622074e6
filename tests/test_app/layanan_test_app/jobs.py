"""Job functions for the job tests; importable by a real Celery worker subprocess."""

from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path

import sqlalchemy as sa

from layanan_sosial.core.context import Context
from layanan_sosial.core.db.tables import table_for
from layanan_sosial.core.jobs import retryable
from layanan_sosial.core.site import Site

_attempts: dict[str, int] = {}

GATE = threading.Event()
"""In-process tests hold `gated_create` jobs running until they set this."""


def create_hash(ctx: Context, judul: str, source: str | None = None) -> None:
    """Insert an Uji Hash; with `source`, first read that document (proves the enqueuing
    transaction had committed before the job ran)."""
    if source is not None:
        ctx.require("Uji Hash", source)
    ctx.new_doc("Uji Hash", judul=judul).insert()


def create_then_fail(ctx: Context, judul: str) -> None:
    ctx.new_doc("Uji Hash", judul=judul).insert()
    raise RuntimeError(f"job failed on purpose after writing {judul}")


def gated_create(ctx: Context, judul: str) -> None:
    GATE.wait(timeout=10)
    ctx.new_doc("Uji Hash", judul=judul).insert()


def slow_create(ctx: Context, judul: str, seconds: float = 0.5) -> None:
    time.sleep(seconds)
    ctx.new_doc("Uji Hash", judul=judul).insert()


@retryable(max_retries=2, countdown=0, on=(RuntimeError,))
def flaky_create(ctx: Context, judul: str, failures: int = 1) -> None:
    """Fails `failures` times per `judul` (counted per process), then writes."""
    done = _attempts.get(judul, 0)
    _attempts[judul] = done + 1
    ctx.new_doc("Uji Hash", judul=f"{judul}-attempt-{done + 1}").insert()
    if done < failures:
        raise RuntimeError("flaky")


def record_tick(ctx: Context, judul: str = "tick") -> None:
    """Scheduled-job target: leaves one Uji Hash `<judul>:<site>` per run."""
    ctx.new_doc("Uji Hash", judul=f"{judul}:{ctx.site.name}").insert()


def record_five(ctx: Context) -> None:
    record_tick(ctx, "five")


def record_hourly(ctx: Context) -> None:
    record_tick(ctx, "hourly")


def record_daily(ctx: Context) -> None:
    record_tick(ctx, "daily")


# -- helpers for the tests (not jobs) --------------------------------------------------------

HOOKS = """
scheduler_events = {
    "all": ["layanan_test_app.jobs.record_tick"],
    "cron": {"*/5 * * * *": ["layanan_test_app.jobs.record_five"]},
    "hourly": ["layanan_test_app.jobs.record_hourly"],
    "daily_long": ["layanan_test_app.jobs.record_daily"],
}
"""


def write_hook_app(base: Path) -> str:
    """Write a throw-away app package (under `base`) whose hooks.py declares a schedule;
    returns its name. Put `base` on sys.path / PYTHONPATH to install it."""
    name = f"lst_hook_app_{secrets.token_hex(3)}"
    (base / name).mkdir(parents=True)
    (base / name / "__init__.py").write_text('"""Test app with scheduler hooks."""\n')
    (base / name / "hooks.py").write_text(HOOKS)
    return name


def count_hash(site: Site, judul: str) -> int:
    """Committed Uji Hash rows with this `judul`, read in a fresh transaction."""
    with site.begin(write=False) as ctx:
        table = table_for(ctx.get_meta("Uji Hash"))
        query = sa.select(sa.func.count()).select_from(table).where(table.c.judul == judul)
        return ctx.conn.execute(query).scalar_one()


def wait_for_hash(site: Site, judul: str, timeout: float = 30.0, count: int = 1) -> bool:
    """Poll the database until `count` rows with `judul` are visible (a worker's effect)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if count_hash(site, judul) >= count:
            return True
        time.sleep(0.2)
    return False
