"""Site, user and operations commands (new-site, use, migrate, serve, add-user, ...)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
