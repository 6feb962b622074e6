"""What a job is: a dotted path, JSON kwargs, a site, a user — and where it is queued.

A job travels as plain JSON (to Redis in 'celery' mode), so the in-process runner is given
the same JSON round-tripped kwargs: a job that works embedded works on a worker too.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..exceptions import LayananError
from ..meta.loader import DEFAULT_APPS

QUEUES = ("short", "default", "long")
"""The queues a worker consumes by default (Frappe's names); `enqueue` accepts only these."""

DEFAULT_REDIS_QUEUE = "redis://127.0.0.1:11000"
"""The Procfile's own queue Redis (config/redis_queue.conf), used when no config names one."""


class JobError(LayananError):
    """A job cannot be enqueued (unknown queue, method not found, kwargs not JSON)."""

    http_status = 417


@dataclass(frozen=True)
class JobSpec:
    """One job as it is queued; `as_payload()` is what a Celery message carries."""

    site: str
    method: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    user: str = "Administrator"
    queue: str = "default"
    timeout: int = 300
    job_id: str | None = None

    def as_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> JobSpec:
        return cls(**payload)


def check_queue(queue: str) -> str:
    if queue not in QUEUES:
        raise JobError(f"unknown job queue {queue!r}", hint=f"use one of: {', '.join(QUEUES)}")
    return queue


def json_kwargs(method: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Round-trip through JSON so both modes hand the job the same types."""
    try:
        return json.loads(json.dumps(kwargs))
    except (TypeError, ValueError) as exc:
        raise JobError(
            f"job {method}: arguments must be JSON values ({exc})",
            hint="pass names and plain values, not documents or datetimes (use str())",
        ) from exc


def site_apps(config: dict[str, Any]) -> list[str]:
    return list(config.get("apps") or DEFAULT_APPS)


def resolve_method(method: str, apps: list[str]) -> Callable[..., Any]:
    """Import `pkg.module.fn`; only code of the site's installed apps may run as a job,
    so a message on the queue can never call an arbitrary importable function."""
    module_name, _, fn_name = method.rpartition(".")
    if not module_name or method.split(".", 1)[0] not in apps:
        raise JobError(
            f"job method {method!r} is not a function of an installed app",
            hint=f"use a dotted path inside one of: {', '.join(apps)}",
        )
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise JobError(f"job method {method!r}: cannot import {module_name} ({exc})") from exc
    fn = getattr(module, fn_name, None)
    if not callable(fn):
        raise JobError(f"job method {method!r}: {module_name} has no function {fn_name}")
    return fn


def bench_id(config: dict[str, Any], root: Path) -> str:
    """Namespace for queue names and Redis keys, so benches sharing one Redis never take
    each other's jobs: config "bench_id", else a hash of the sites folder path."""
    configured = config.get("bench_id")
    if configured:
        return str(configured)
    return hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:10]


def queue_name(bid: str, queue: str) -> str:
    """The Redis/Celery queue name of a logical queue."""
    return f"layanan:{bid}:{queue}"


def redis_queue_url(config: dict[str, Any]) -> str:
    return str(config.get("redis_queue") or DEFAULT_REDIS_QUEUE)
