"""`enqueue`: the one way to start background work, always after the transaction commits."""

from __future__ import annotations

import logging
import weakref
from typing import TYPE_CHECKING, Any

from .spec import JobSpec, check_queue, json_kwargs, resolve_method, site_apps

if TYPE_CHECKING:
    from ..context import Context
    from ..site import Site

log = logging.getLogger("layanan_sosial.core.jobs")

# job ids already registered in a still-open transaction (dedupe before commit)
_ids_in_transaction: weakref.WeakKeyDictionary[Context, set[str]] = weakref.WeakKeyDictionary()


def enqueue(
    ctx: Context,
    method: str,
    *,
    queue: str = "default",
    timeout: int = 300,
    job_id: str | None = None,
    **kwargs: Any,
) -> None:
    """Run `method(ctx, **kwargs)` in the background once `ctx`'s transaction commits.

    Nothing is sent if the transaction rolls back. The job runs as `ctx.user` in its own
    transaction. With `job_id`, a job with the same id that is pending or running makes this
    call a no-op. The method is checked now, so a typo fails the caller, not the worker.
    """
    check_queue(queue)
    resolve_method(method, site_apps(ctx.site.config))
    spec = JobSpec(
        site=ctx.site.name,
        method=method,
        kwargs=json_kwargs(method, kwargs),
        user=ctx.user,
        queue=queue,
        timeout=int(timeout),
        job_id=job_id,
    )
    if job_id:
        seen = _ids_in_transaction.get(ctx)
        if seen is None:
            seen = _ids_in_transaction[ctx] = set()
            ctx.after_commit(lambda: _ids_in_transaction.pop(ctx, None))
            ctx.after_rollback(lambda: _ids_in_transaction.pop(ctx, None))
        if job_id in seen:
            return
        seen.add(job_id)
    site = ctx.site
    ctx.after_commit(lambda: dispatch(site, spec))


def dispatch(site: Site, spec: JobSpec) -> bool:
    """Hand a job to the site's runner now; False when deduplicated by its job id."""
    if site.jobs_mode == "celery":
        from .broker import send

        return send(site, spec)
    from .inprocess import runner

    return runner.submit(site, spec)
