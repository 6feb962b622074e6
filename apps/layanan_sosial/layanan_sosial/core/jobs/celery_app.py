"""The Celery side: an app factory (one app per broker URL, never per site) and the tasks.

A worker serves every site of its sites folder that shares its broker: each message names
its site, and the task opens that site through the process-wide site registry. Settings
favour not losing work: acks after the job (acks_late), requeue when a worker process dies
(reject_on_worker_lost), and one message at a time per process (prefetch 1).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from celery import Celery, Task

from ..site import get_site, sites_dir
from .broker import release_job_id, touch_job_id
from .runner import log_failure, policy_for, run_job
from .spec import QUEUES, JobSpec, queue_name

log = logging.getLogger("layanan_sosial.core.jobs")

RUN_JOB = "layanan.run_job"
SCHEDULED = "layanan.scheduled"
VISIBILITY_TIMEOUT = 2 * 3600
"""Redis redelivers a message not acked after this many seconds: keep it above the longest
job's timeout, or a slow job runs twice."""


def create_celery_app(
    broker_url: str,
    *,
    bid: str,
    beat_schedule: dict[str, Any] | None = None,
    timezone: str | None = None,
) -> Celery:
    """A Celery app for one broker and bench id, with the job tasks registered."""
    app = Celery("layanan", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        task_ignore_result=True,
        result_expires=None,  # no result backend: keeps beat from scheduling its cleanup
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
        task_default_queue=queue_name(bid, "default"),
        beat_schedule=beat_schedule or {},
        enable_utc=False,
        timezone=timezone,
    )
    _register_tasks(app, bid)
    return app


def _register_tasks(app: Celery, bid: str) -> None:
    @app.task(name=RUN_JOB, bind=True)
    def run(task: Task, payload: dict[str, Any]) -> None:
        spec = JobSpec.from_payload(payload)
        site = get_site(spec.site, sites_dir())
        touch_job_id(site, spec)
        try:
            run_job(site, spec)
        except Exception as exc:
            policy = policy_for(site, spec)
            retries = task.request.retries
            will_retry = policy is not None and policy.should_retry(exc, retries)
            log_failure(spec, retries + 1, will_retry=will_retry)
            if will_retry:
                raise task.retry(
                    exc=exc,
                    countdown=policy.countdown,  # type: ignore[union-attr]
                    max_retries=policy.max_retries,  # type: ignore[union-attr]
                    queue=queue_name(bid, spec.queue),
                ) from exc
            release_job_id(site, spec)
            raise
        release_job_id(site, spec)

    @app.task(name=SCHEDULED)
    def scheduled(app_name: str, method: str, queue: str) -> int:
        from .scheduler import fan_out

        return fan_out(sites_dir(), app_name, method, queue, mode="celery")


_producers: dict[tuple[str, str], Celery] = {}
_producers_lock = threading.Lock()


def producer_app(broker_url: str, bid: str) -> Celery:
    """A cached app per broker for sending (its connection pool is reused)."""
    key = (broker_url, bid)
    with _producers_lock:
        app = _producers.get(key)
        if app is None:
            app = _producers[key] = create_celery_app(broker_url, bid=bid)
        return app


def worker_queues(bid: str, queues: list[str] | None = None) -> list[str]:
    return [queue_name(bid, q) for q in (queues or list(QUEUES))]
