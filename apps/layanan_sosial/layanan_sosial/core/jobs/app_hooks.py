"""Scheduled jobs, declared in ONE place per app: `<app>/hooks.py`'s `scheduler_events`.

    scheduler_events = {
        "cron": {"*/5 * * * *": ["my_app.module.fn"]},
        "all": [...], "hourly": [...], "daily": [...], "weekly": [...], "monthly": [...],
        "daily_long": [...],   # any event + "_long" runs on the "long" queue
    }

Apps are found by name with importlib (core never imports a domain module statically).
Cron expressions are parsed by Celery's crontab, so beat and the in-process scheduler agree.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from typing import Any

from celery.schedules import crontab

from ..exceptions import MetaError

EVENTS = {
    "all": "* * * * *",
    "hourly": "0 * * * *",
    "daily": "0 0 * * *",
    "weekly": "0 0 * * 0",
    "monthly": "0 0 1 * *",
}
LONG_SUFFIX = "_long"


@dataclass(frozen=True)
class ScheduledJob:
    app: str
    event: str  # "hourly", "cron", "daily_long", ...
    cron: str
    method: str

    @property
    def queue(self) -> str:
        return "long" if self.event.endswith(LONG_SUFFIX) else "default"

    @property
    def key(self) -> str:
        return f"{self.app}:{self.event}:{self.cron}:{self.method}"

    @property
    def schedule(self) -> crontab:
        return parse_cron(self.cron)


def parse_cron(expr: str) -> crontab:
    """`m h dom mon dow` to a Celery crontab; ValueError when malformed."""
    parts = expr.split()
    if len(parts) != 5:
        raise ValueError(f"cron expression {expr!r} needs 5 fields (m h dom mon dow)")
    minute, hour, day_of_month, month_of_year, day_of_week = parts
    return crontab(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
    )


def is_due(expr: str, now: dt.datetime) -> bool:
    """Whether a cron expression fires in the minute of `now` (local time)."""
    c = parse_cron(expr)
    return (
        now.minute in c.minute
        and now.hour in c.hour
        and now.day in c.day_of_month
        and now.month in c.month_of_year
        and now.isoweekday() % 7 in c.day_of_week  # crontab: 0 = Sunday
    )


def load_hooks(app: str) -> Any | None:
    """The app's hooks module, or None when the app has none."""
    name = f"{app}.hooks"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name in (name, app):
            return None
        raise


def scheduler_events(app: str) -> list[ScheduledJob]:
    """Parse and check one app's `scheduler_events` (typos fail loudly, naming the app)."""
    hooks = load_hooks(app)
    events = getattr(hooks, "scheduler_events", None) or {}
    where = f"{app}.hooks.scheduler_events"
    if not isinstance(events, dict):
        raise MetaError(f"{where} must be a dict")
    jobs: list[ScheduledJob] = []
    for event, value in events.items():
        base = event.removesuffix(LONG_SUFFIX)
        if base == "cron":
            if not isinstance(value, dict):
                raise MetaError(f"{where}[{event!r}] must map cron expressions to lists")
            for expr, methods in value.items():
                try:
                    parse_cron(expr)
                except ValueError as exc:
                    raise MetaError(f"{where}[{event!r}]: {exc}") from exc
                jobs += [ScheduledJob(app, event, expr, m) for m in _methods(where, event, methods)]
        elif base in EVENTS:
            jobs += [
                ScheduledJob(app, event, EVENTS[base], m) for m in _methods(where, event, value)
            ]
        else:
            known = ", ".join([*EVENTS, "cron"])
            raise MetaError(f"{where}: unknown event {event!r}", hint=f"use one of: {known}")
    return jobs


def _methods(where: str, event: str, value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(m, str) for m in value):
        raise MetaError(f"{where}[{event!r}] must be a list of dotted paths")
    return list(value)


def scheduled_jobs(apps: list[str]) -> list[ScheduledJob]:
    return [job for app in apps for job in scheduler_events(app)]
