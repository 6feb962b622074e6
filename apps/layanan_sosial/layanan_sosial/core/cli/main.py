"""Entry point of the `layanan` command."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from typing import Any

import click

from . import job_commands, server_commands, shell_commands, site_commands, user_commands
from .errors import fail


class LayananGroup(click.Group):
    """Click's group, but usage errors (bad or missing arguments) are one `Error:` line and
    a `Hint:` like every other expected failure, instead of a usage block."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.format_message())
            sys.exit(0)
        except click.UsageError as exc:
            path = exc.ctx.command_path if exc.ctx else (prog_name or "layanan")
            fail(exc.format_message(), hint=f"lihat `{path} --help`", code=exc.exit_code)
        except click.ClickException as exc:
            fail(exc.format_message(), code=exc.exit_code)
        except click.Abort:
            click.echo("Dibatalkan.", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=LayananGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--site",
    "site_name",
    envvar="LAYANAN_SITE",
    help="Site to act on (default: sites/currentsite.txt).",
)
@click.option("--verbose", is_flag=True, help="Log more.")
@click.pass_context
def cli(click_ctx: click.Context, site_name: str | None, verbose: bool) -> None:
    """Layanan Sosial Terpadu — site administration."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    click_ctx.obj = {"site": site_name}


for module in (site_commands, user_commands, server_commands, shell_commands, job_commands):
    for command in module.COMMANDS:
        cli.add_command(command)


def main() -> None:
    cli(prog_name="layanan")


if __name__ == "__main__":
    main()
