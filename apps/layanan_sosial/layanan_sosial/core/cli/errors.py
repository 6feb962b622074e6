"""Expected failures become one clear line plus a hint and a non-zero exit, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click
import sqlalchemy as sa

from ..exceptions import LayananError

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, hint: str | None = None, code: int = 1) -> None:
    click.secho(f"Error: {message}", fg="red", err=True)
    if hint:
        click.echo(f"Hint: {hint}", err=True)
    sys.exit(code)


def friendly_errors(fn: F) -> F:
    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except LayananError as exc:
            fail(exc.message or type(exc).__name__, exc.hint)
        except sa.exc.OperationalError as exc:
            fail(f"database error: {exc.orig}", "is the database running and reachable?")
        return None

    return wrapper  # type: ignore[return-value]
