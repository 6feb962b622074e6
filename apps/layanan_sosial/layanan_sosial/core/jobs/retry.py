"""Opt-in retries: a job is retried only when its function says so.

Most jobs are not safe to repeat blindly (a half-sent webhook, a notification); the author
of a job that is idempotent marks it with `@retryable(...)` and names the errors worth a
retry (network hiccups, lock timeouts). Both the Celery worker and the in-process runner
honour the same policy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_ATTR = "__layanan_retry__"


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    countdown: float = 60.0
    on: tuple[type[BaseException], ...] = (Exception,)

    def should_retry(self, exc: BaseException, retries_done: int) -> bool:
        return retries_done < self.max_retries and isinstance(exc, self.on)


def retryable(
    max_retries: int = 3,
    countdown: float = 60.0,
    on: tuple[type[BaseException], ...] = (Exception,),
) -> Callable[[F], F]:
    """Mark a job function as safe to run again after a failure listed in `on`."""

    def mark(fn: F) -> F:
        setattr(fn, _ATTR, RetryPolicy(max_retries, countdown, tuple(on)))
        return fn

    return mark


def retry_policy(fn: Callable[..., Any]) -> RetryPolicy | None:
    return getattr(fn, _ATTR, None)
