"""`layanan serve`: the web server for every site of the bench."""

from __future__ import annotations

import errno
import os
import socket
import sys

import click

from ..site import get_site, list_sites, sites_dir
from .common import command_registry
from .errors import fail

COMMANDS: list[click.Command] = []
command = command_registry(COMMANDS)
APP_FACTORY = "layanan_sosial.core.web.app:create_app"


@command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="more than 1: gunicorn with uvicorn workers",
)
def serve(click_ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve every site of this bench over HTTP; the Host header picks the site.

    With --site the server answers for that site when the Host names no site (as
    `bench --site NAME serve` does), else for the default site."""
    site_name = (click_ctx.find_root().obj or {}).get("site")
    root = sites_dir()
    if site_name:
        get_site(site_name)  # fails early, with a hint, when it does not exist
        os.environ["LAYANAN_SITE"] = site_name
    os.environ["LAYANAN_SITES_DIR"] = str(root)
    _check_port_free(host, port)
    known = ", ".join(list_sites(root)) or "belum ada — buat dengan `layanan new-site`"
    click.echo(f"Melayani http://{host}:{port} (situs: {known}); Ctrl+C untuk berhenti.")
    if workers == 1:
        # one process: the embedded default runs scheduled jobs in-process too
        os.environ["LAYANAN_INPROCESS_SCHEDULER"] = "1"
        import uvicorn

        uvicorn.run(
            APP_FACTORY,
            factory=True,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
        )
        return
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "--worker-class",
        _worker_class(),
        "--workers",
        str(workers),
        "--bind",
        f"{host}:{port}",
        "--log-level",
        "warning",
        f"{APP_FACTORY}()",
    ]
    # gunicorn replaces this process: a process manager's SIGTERM (or Ctrl+C) then reaches
    # gunicorn's master itself, which stops its workers — a child would outlive us and
    # keep the port
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, cmd)


def _worker_class() -> str:
    try:
        import uvicorn_worker  # noqa: F401 - the maintained home of the gunicorn worker
    except ImportError:
        return "uvicorn.workers.UvicornWorker"
    return "uvicorn_worker.UvicornWorker"


def _check_port_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                fail(f"port {port} di {host} sudah dipakai", hint="pilih port lain dengan --port")
            fail(f"tidak bisa mendengarkan di {host}:{port}: {exc.strerror}", hint="periksa --host")
