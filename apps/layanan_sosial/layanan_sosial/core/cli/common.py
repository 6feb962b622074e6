"""Helpers shared by the command modules: registering commands and finding the site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..site import Site, get_site
from .errors import friendly_errors


def command_registry(
    commands: list[click.Command],
) -> Callable[..., Callable[[Callable[..., Any]], click.Command]]:
    """A `@command(name, ...)` decorator that adds the click context as first argument,
    turns expected errors into one line plus a hint, and appends to `commands`."""

    def command(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Command]:
        def register(fn: Callable[..., Any]) -> click.Command:
            cmd = click.command(*args, **kwargs)(click.pass_context(friendly_errors(fn)))
            commands.append(cmd)
            return cmd

        return register

    return command


def current_site(click_ctx: click.Context) -> Site:
    """The site named by `--site` (or $LAYANAN_SITE), else the default site."""
    root = click_ctx.find_root()
    return get_site((root.obj or {}).get("site"))
