"""Expected failures become one clear line plus a hint and a non-zero exit, never a traceback."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, NoReturn, TypeVar

import click
import sqlalchemy as sa

from ..exceptions import LayananError

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, hint: str | None = None, code: int = 1) -> NoReturn:
    """Print `Error: message` (one line) and `Hint: hint` to stderr, then exit with `code`."""
    click.secho(f"Error: {' '.join(message.split())}", fg="red", err=True)
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
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            fail(
                f"database tidak bisa dipakai: {exc.orig}",
                "apakah database berjalan dan bisa dihubungi? periksa db_url di site_config.json",
            )
        except ModuleNotFoundError as exc:
            if exc.name != "mariadb":
                raise
            fail(
                "driver MariaDB (paket Python `mariadb`) belum terpasang",
                "pip install -e 'apps/layanan_sosial[mariadb]' (butuh paket Debian libmariadb-dev)",
            )

    return wrapper  # type: ignore[return-value]
