"""Scheduled jobs: what is due, and who ticks.

Each site is ticked by the driver matching its jobs mode, so nothing runs twice: Celery beat
for 'celery' sites (its schedule is built from the apps' hooks; each beat entry sends one
fan-out task that enqueues the job for every site), and `start_inprocess_scheduler` (a thread
in `layanan serve`) for 'inprocess' sites. A site with `"pause_scheduler": 1` is skipped.
Scheduled jobs carry the job id `scheduled:<method>`, so a slow run is never doubled.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path
from typing import Any

from ..site import Site, list_sites, sites, sites_dir
from .app_hooks import ScheduledJob, is_due, scheduled_jobs
from .enqueue import dispatch
from .spec import JobSpec, queue_name, site_apps

log = logging.getLogger("layanan_sosial.core.jobs")

TIMEOUTS = {"default": 300, "long": 1500, "short": 300}


def scheduler_sites(root: Path, mode: str) -> list[Site]:
    """Sites (config read afresh, so a pause takes effect on the next tick) to tick in `mode`."""
    found = []
    for name in list_sites(root):
        try:
            site = Site(name, root)
        except Exception:
            log.exception("scheduler: cannot read site %s", name)
            continue
        if site.config.get("pause_scheduler") or site.jobs_mode != mode:
            continue
        found.append(site)
    return found


def _dispatch(site: Site, method: str, queue: str) -> bool:
    spec = JobSpec(
        site=site.name,
        method=method,
        queue=queue,
        timeout=TIMEOUTS[queue],
        job_id=f"scheduled:{method}",
    )
    try:
        # the registry's Site owns the engine the in-process runner needs
        return dispatch(sites.get(site.name, site.root), spec)
    except Exception:
        log.exception("scheduler: cannot enqueue %s for site %s", method, site.name)
        return False


def tick(
    root: Path | None = None, now: dt.datetime | None = None, *, mode: str = "inprocess"
) -> int:
    """Enqueue every job due in the minute of `now` for every site in `mode`; returns the
    number of jobs enqueued (deduplicated ones are not counted)."""
    root = root or sites_dir()
    now = (now or dt.datetime.now()).replace(second=0, microsecond=0)
    count = 0
    for site in scheduler_sites(root, mode):
        for job in scheduled_jobs(site_apps(site.config)):
            if is_due(job.cron, now):
                count += _dispatch(site, job.method, job.queue)
    return count


def fan_out(root: Path, app: str, method: str, queue: str, *, mode: str = "celery") -> int:
    """Beat's entry point (run on a worker): enqueue one scheduled job for every site that
    has its app installed."""
    return sum(
        _dispatch(site, method, queue)
        for site in scheduler_sites(root, mode)
        if app in site_apps(site.config)
    )


def bench_apps(root: Path) -> list[str]:
    """All apps installed on any site of the bench, paused ones included (pausing is checked
    at each tick, so un-pausing needs no beat restart)."""
    apps: list[str] = []
    for name in list_sites(root):
        try:
            config = Site(name, root).config
        except Exception:
            log.exception("scheduler: cannot read site %s", name)
            continue
        apps += [a for a in site_apps(config) if a not in apps]
    return apps or site_apps({})


def beat_schedule(jobs: list[ScheduledJob], bid: str) -> dict[str, dict[str, Any]]:
    """Celery beat entries, one per scheduled job; each sends the fan-out task."""
    from .celery_app import SCHEDULED

    return {
        job.key: {
            "task": SCHEDULED,
            "schedule": job.schedule,
            "kwargs": {"app_name": job.app, "method": job.method, "queue": job.queue},
            "options": {"queue": queue_name(bid, "short")},
        }
        for job in jobs
    }


class SchedulerThread(threading.Thread):
    """Ticks once a minute, at the start of the minute, until `stop()`."""

    def __init__(self, root: Path):
        super().__init__(name="layanan-scheduler", daemon=True)
        self.root = root
        self._stop_event = threading.Event()
        self._last: dt.datetime | None = None

    def stop(self) -> None:
        self._stop_event.set()

    def run(self) -> None:
        while not self._stop_event.is_set():
            now = dt.datetime.now()
            minute = now.replace(second=0, microsecond=0)
            if minute != self._last:
                self._last = minute
                try:
                    tick(self.root, minute, mode="inprocess")
                except Exception:
                    log.exception("scheduler tick failed")
            next_minute = minute + dt.timedelta(minutes=1)
            self._stop_event.wait(max((next_minute - dt.datetime.now()).total_seconds(), 0.1))


def start_inprocess_scheduler(root: Path | None = None) -> SchedulerThread:
    """Start the embedded scheduler (a daemon thread) for the 'inprocess' sites of `root`."""
    thread = SchedulerThread(root or sites_dir())
    thread.start()
    return thread
