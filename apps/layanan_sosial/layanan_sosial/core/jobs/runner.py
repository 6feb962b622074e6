"""Run one job in its own transaction; shared by the in-process runner and the worker."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from .retry import RetryPolicy, retry_policy
from .spec import JobSpec, resolve_method, site_apps

if TYPE_CHECKING:
    from ..site import Site

log = logging.getLogger("layanan_sosial.core.jobs")


def run_job(site: Site, spec: JobSpec) -> None:
    """`fn(ctx, **kwargs)` inside `site.begin(user=...)`: commit on success, roll back and
    re-raise on error (the caller decides about retries and logs the failure)."""
    fn = resolve_method(spec.method, site_apps(site.config))
    with site.begin(user=spec.user, in_job=True, job=spec.method) as ctx:
        fn(ctx, **spec.kwargs)


def policy_for(site: Site, spec: JobSpec) -> RetryPolicy | None:
    try:
        return retry_policy(resolve_method(spec.method, site_apps(site.config)))
    except Exception:
        return None


def log_failure(spec: JobSpec, attempt: int, *, will_retry: bool) -> None:
    """The job log: every failure with its traceback, tagged with site, method and job id."""
    log.error(
        "job %s on site %s failed (attempt %d%s, job_id=%s); its changes were rolled back",
        spec.method,
        spec.site,
        attempt,
        ", will retry" if will_retry else "",
        spec.job_id,
        exc_info=True,
    )
