"""Background job commands (worker, scheduler, start)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
