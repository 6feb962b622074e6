"""Background jobs: `enqueue` after commit; Celery on Redis or in-process; scheduled jobs.

Public API (domain modules use only these):

- `enqueue(ctx, "app.module.fn", queue=..., timeout=..., job_id=..., **kwargs)`
- `@retryable(max_retries=3, countdown=60, on=(SomeError,))` on a job function
- `start_inprocess_scheduler(sites_dir)` / `tick(...)` for the embedded scheduler
- `wait_for_jobs(timeout)` to wait for this process's in-process jobs

Config keys read (merged common_site_config.json + site_config.json): "jobs_mode"
('inprocess' | 'celery'; default 'celery' when "redis_queue" is set), "redis_queue",
"bench_id", "pause_scheduler", "time_zone" (beat).
"""

from __future__ import annotations

from .enqueue import dispatch, enqueue
from .inprocess import wait_for_jobs
from .retry import RetryPolicy, retryable
from .scheduler import start_inprocess_scheduler, tick
from .spec import QUEUES, JobError, JobSpec

__all__ = [
    "QUEUES",
    "JobError",
    "JobSpec",
    "RetryPolicy",
    "dispatch",
    "enqueue",
    "retryable",
    "start_inprocess_scheduler",
    "tick",
    "wait_for_jobs",
]
