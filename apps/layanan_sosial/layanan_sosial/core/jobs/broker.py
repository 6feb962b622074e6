"""Sending jobs to the Redis queue, with job-id dedupe (Redis SET NX with a TTL)."""

from __future__ import annotations

import functools
import logging
import time
from typing import TYPE_CHECKING

import redis

from .spec import JobSpec, bench_id, queue_name, redis_queue_url

if TYPE_CHECKING:
    from ..site import Site

log = logging.getLogger("layanan_sosial.core.jobs")

DEDUPE_GRACE = 3600
"""How long past its timeout a job id stays taken: the time a job may wait in the queue. If a
worker dies without cleaning up, the id frees itself after timeout + this."""


@functools.lru_cache(maxsize=32)
def redis_client(url: str, *, connect_timeout: float = 2.0) -> redis.Redis:
    """One client (and connection pool) per URL and process."""
    return redis.Redis.from_url(url, socket_connect_timeout=connect_timeout)


def ping(url: str, *, wait: float = 0.0) -> bool:
    """True when Redis at `url` answers, trying for up to `wait` seconds."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
        except (redis.exceptions.RedisError, OSError):
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.5)


def _dedupe_key(site: Site, spec: JobSpec) -> str:
    return f"layanan:{bench_id(site.config, site.root)}:job:{site.name}:{spec.job_id}"


def send(site: Site, spec: JobSpec) -> bool:
    """Publish the job to the site's queue; False when its job id is already taken."""
    from .celery_app import RUN_JOB, producer_app

    url = redis_queue_url(site.config)
    bid = bench_id(site.config, site.root)
    key = None
    if spec.job_id:
        key = _dedupe_key(site, spec)
        if not redis_client(url).set(key, "queued", nx=True, ex=spec.timeout + DEDUPE_GRACE):
            log.info("job %s (%s) already queued on %s", spec.job_id, spec.method, site.name)
            return False
    try:
        producer_app(url, bid).send_task(
            RUN_JOB,
            kwargs={"payload": spec.as_payload()},
            queue=queue_name(bid, spec.queue),
            soft_time_limit=spec.timeout,
            time_limit=spec.timeout + 30,
        )
    except Exception:
        if key is not None:
            redis_client(url).delete(key)
        raise
    return True


def touch_job_id(site: Site, spec: JobSpec) -> None:
    """A started job keeps its id for its whole run (and retries)."""
    if spec.job_id:
        redis_client(redis_queue_url(site.config)).set(
            _dedupe_key(site, spec), "running", ex=spec.timeout + DEDUPE_GRACE
        )


def release_job_id(site: Site, spec: JobSpec) -> None:
    if spec.job_id:
        redis_client(redis_queue_url(site.config)).delete(_dedupe_key(site, spec))
