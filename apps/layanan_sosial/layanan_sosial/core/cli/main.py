"""Entry point of the `layanan` command."""

from __future__ import annotations

import logging

import click

from . import job_commands, site_commands


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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


for command in site_commands.COMMANDS + job_commands.COMMANDS:
    cli.add_command(command)


def main() -> None:
    cli(prog_name="layanan")


if __name__ == "__main__":
    main()
