"""Scheduled jobs: hooks parsing, beat schedule, the in-process tick; CLI failure lines."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from celery.schedules import crontab
from sitekit import TEST_APPS, backends, drop_site, make_site

from layanan_sosial.core.exceptions import MetaError
from layanan_sosial.core.jobs import start_inprocess_scheduler, tick, wait_for_jobs
from layanan_sosial.core.jobs.app_hooks import (
    is_due,
    load_hooks,
    scheduled_jobs,
    scheduler_events,
)
from layanan_sosial.core.jobs.celery_app import SCHEDULED
from layanan_sosial.core.jobs.scheduler import beat_schedule, bench_apps, scheduler_sites
from layanan_sosial.core.site import Site
from layanan_test_app.jobs import count_hash, write_hook_app

JOBS = "layanan_test_app.jobs"


@pytest.fixture(scope="module")
def hook_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throw-away app package whose hooks.py declares a schedule."""
    base = tmp_path_factory.mktemp("hook-app")
    name = write_hook_app(base)
    sys.path.insert(0, str(base))
    yield name
    sys.path.remove(str(base))
    for module in [m for m in sys.modules if m.split(".")[0] == name]:
        del sys.modules[module]


def test_core_app_schedules_sla_escalation_and_apps_without_hooks_nothing() -> None:
    jobs = scheduler_events("layanan_sosial")
    assert [(j.cron, j.method) for j in jobs] == [
        ("*/5 * * * *", "layanan_sosial.core.workflow.sla.escalate_overdue"),
        ("0 0 * * *", "layanan_sosial.slrt.jadwal.ingatkan_rujukan_terlambat"),
    ]
    assert load_hooks("layanan_test_app") is None  # no hooks.py at all
    assert scheduler_events("layanan_test_app") == []


def test_hooks_are_parsed_into_scheduled_jobs(hook_app: str) -> None:
    jobs = {job.method.rsplit(".", 1)[1]: job for job in scheduler_events(hook_app)}
    assert set(jobs) == {"record_tick", "record_five", "record_hourly", "record_daily"}
    assert (jobs["record_tick"].cron, jobs["record_tick"].queue) == ("* * * * *", "default")
    assert jobs["record_five"].cron == "*/5 * * * *"
    assert jobs["record_hourly"].cron == "0 * * * *"
    assert (jobs["record_daily"].cron, jobs["record_daily"].queue) == ("0 0 * * *", "long")
    assert all(job.app == hook_app for job in jobs.values())


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ({"hourley": ["x.y"]}, "unknown event 'hourley'"),
        ({"cron": {"*/5 * *": ["x.y"]}}, "needs 5 fields"),
        ({"cron": {"61 * * * *": ["x.y"]}}, "scheduler_events\\['cron'\\]"),
        ({"daily": "x.y"}, "must be a list of dotted paths"),
        ({"cron": ["x.y"]}, "must map cron expressions"),
    ],
)
def test_bad_hooks_fail_naming_the_app(
    hook_app: str, monkeypatch: pytest.MonkeyPatch, events: dict, message: str
) -> None:
    monkeypatch.setattr(load_hooks(hook_app), "scheduler_events", events)
    with pytest.raises(MetaError, match=message) as info:
        scheduler_events(hook_app)
    assert hook_app in info.value.message


@pytest.mark.parametrize(
    ("expr", "when", "due"),
    [
        ("* * * * *", "2026-03-02 10:07", True),
        ("*/5 * * * *", "2026-03-02 10:05", True),
        ("*/5 * * * *", "2026-03-02 10:07", False),
        ("0 * * * *", "2026-03-02 11:00", True),
        ("0 0 * * *", "2026-03-02 00:00", True),
        ("0 0 * * *", "2026-03-02 01:00", False),
        ("0 0 * * 0", "2026-03-01 00:00", True),  # a Sunday
        ("0 0 * * 0", "2026-03-02 00:00", False),  # a Monday
        ("30 8 1 * *", "2026-04-01 08:30", True),
        ("30 8 1 * *", "2026-04-02 08:30", False),
    ],
)
def test_is_due(expr: str, when: str, due: bool) -> None:
    assert is_due(expr, dt.datetime.fromisoformat(when)) is due


def test_beat_schedule_is_built_from_the_hooks(hook_app: str) -> None:
    schedule = beat_schedule(scheduled_jobs(["layanan_sosial", hook_app]), "bid1")
    assert len(schedule) == 6  # the hook app's four + SLA escalation + overdue referrals
    five = schedule[f"{hook_app}:cron:*/5 * * * *:{JOBS}.record_five"]
    assert five["task"] == SCHEDULED
    assert five["schedule"] == crontab(minute="*/5")
    assert five["kwargs"] == {
        "app_name": hook_app,
        "method": f"{JOBS}.record_five",
        "queue": "default",
    }
    assert five["options"] == {"queue": "layanan:bid1:short"}
    daily = schedule[f"{hook_app}:daily_long:0 0 * * *:{JOBS}.record_daily"]
    assert daily["schedule"] == crontab(minute=0, hour=0)
    assert daily["kwargs"]["queue"] == "long"


@pytest.fixture
def tick_bench(tmp_path: Path, hook_app: str) -> Iterator[dict[str, Site]]:
    """In-process sites with the hook app (one per backend, one paused), a celery site, and
    a site without the hook app."""
    (tmp_path / "common_site_config.json").write_text("{}")
    apps = [*TEST_APPS, hook_app]
    created = {b: make_site(tmp_path, b, apps=apps) for b in backends()}
    created["paused"] = make_site(tmp_path, "sqlite", apps=apps, extra={"pause_scheduler": 1})
    created["celery"] = make_site(
        tmp_path,
        "sqlite",
        apps=apps,
        extra={"jobs_mode": "celery", "redis_queue": "redis://127.0.0.1:1"},
    )
    created["other"] = make_site(tmp_path, "sqlite")
    yield created
    assert wait_for_jobs(30)
    for site in created.values():
        drop_site(site)


def test_tick_enqueues_due_jobs_for_each_inprocess_site(
    tick_bench: dict[str, Site], hook_app: str
) -> None:
    root = tick_bench["sqlite"].root
    assert hook_app in bench_apps(root)
    ticked = {site.name for site in scheduler_sites(root, "inprocess")}
    assert ticked == {tick_bench[k].name for k in [*backends(), "other"]}
    # 10:00: "all", "*/5" and "hourly" are due, "daily" is not; plus the core SLA job
    # (every 5 minutes) on every in-process site that runs the core app
    assert tick(root, dt.datetime(2026, 3, 2, 10, 0, 30)) == 3 * len(backends()) + len(ticked)
    assert wait_for_jobs(30)
    for backend in backends():
        site = tick_bench[backend]
        counts = {
            e: count_hash(site, f"{e}:{site.name}") for e in ("tick", "five", "hourly", "daily")
        }
        assert counts == {"tick": 1, "five": 1, "hourly": 1, "daily": 0}
    # 10:07: only "all"
    assert tick(root, dt.datetime(2026, 3, 2, 10, 7)) == len(backends())
    assert wait_for_jobs(30)
    for key in ("paused", "celery", "other"):  # skipped: paused, other driver, app missing
        site = tick_bench[key]
        assert count_hash(site, f"tick:{site.name}") == 0


def test_inprocess_scheduler_thread_starts_and_stops(tmp_path: Path) -> None:
    thread = start_inprocess_scheduler(tmp_path)
    assert thread.is_alive() and thread.daemon
    thread.stop()
    thread.join(timeout=5)
    assert not thread.is_alive()


# -- CLI: expected failures are one line plus a hint, exit 1, no traceback --------------------


def _layanan(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LAYANAN_SITES_DIR": str(root)}
    env.pop("LAYANAN_SITE", None)
    return subprocess.run(
        [sys.executable, "-m", "layanan_sosial.core.cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=root,
    )


@pytest.mark.parametrize("command", ["worker", "scheduler"])
def test_redis_down_is_one_clear_line(tmp_path: Path, command: str) -> None:
    (tmp_path / "common_site_config.json").write_text(
        json.dumps({"redis_queue": "redis://:secret@127.0.0.1:1/0"})
    )
    result = _layanan(tmp_path, command)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "Error: Redis queue at redis://:***@127.0.0.1:1/0 unreachable"
    assert lines[1].startswith("Hint: ") and len(lines) == 2
    assert "Traceback" not in result.stderr + result.stdout


def test_worker_rejects_unknown_queue(tmp_path: Path) -> None:
    result = _layanan(tmp_path, "worker", "--queue", "default,urgent")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: unknown queue urgent")


def test_start_rejects_unknown_process(tmp_path: Path) -> None:
    (tmp_path / "Procfile").write_text("web: echo web\n")
    result = _layanan(tmp_path, "start", "nope")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: no process nope in")
    assert "Traceback" not in result.stderr
