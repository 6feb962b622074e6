"""The embedded default: jobs run in this process on a small thread pool after commit.

A thread pool (not the committing thread) so a web request that enqueues work answers at
once, as it would with a worker. Two threads keep SQLite's single writer from queueing
behind many jobs. Jobs still pending at interpreter exit are finished first (the pool's
threads are joined), so committed work is not silently dropped. No time limit is enforced
in this mode; `wait_for_jobs` lets tests and CLI commands block until the queue is empty.
"""

from __future__ import annotations

import concurrent.futures as cf
import threading
import time
from typing import TYPE_CHECKING

from .runner import log_failure, policy_for, run_job
from .spec import JobSpec

if TYPE_CHECKING:
    from ..site import Site

THREADS = 2


class InprocessRunner:
    """Thread pool plus the in-memory set of job ids pending or running (dedupe)."""

    def __init__(self, threads: int = THREADS):
        self._threads = threads
        self._pool: cf.ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._job_ids: set[tuple[str, str, str]] = set()
        self._futures: set[cf.Future[None]] = set()

    def submit(self, site: Site, spec: JobSpec) -> bool:
        """Queue a job; False when a job with the same id is still pending or running."""
        key = (str(site.root), site.name, spec.job_id) if spec.job_id else None
        with self._lock:
            if key is not None:
                if key in self._job_ids:
                    return False
                self._job_ids.add(key)
            if self._pool is None:
                self._pool = cf.ThreadPoolExecutor(self._threads, thread_name_prefix="layanan-job")
            future = self._pool.submit(self._run, site, spec, key)
            self._futures.add(future)
        future.add_done_callback(self._forget)
        return True

    def _forget(self, future: cf.Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    def _run(self, site: Site, spec: JobSpec, key: tuple[str, str, str] | None) -> None:
        try:
            attempt = 1
            while True:
                try:
                    run_job(site, spec)
                    return
                except Exception as exc:
                    policy = policy_for(site, spec)
                    retry = policy is not None and policy.should_retry(exc, attempt - 1)
                    log_failure(spec, attempt, will_retry=retry)
                    if not retry:
                        return
                    time.sleep(policy.countdown)  # type: ignore[union-attr]
                    attempt += 1
        finally:
            if key is not None:
                with self._lock:
                    self._job_ids.discard(key)

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until no job is pending (jobs may enqueue jobs); False on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                pending = set(self._futures)
            if not pending:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            cf.wait(pending, timeout=remaining)


runner = InprocessRunner()


def wait_for_jobs(timeout: float = 30.0) -> bool:
    """Wait for this process's in-process jobs to finish (tests, one-shot CLI commands)."""
    return runner.wait(timeout)
