"""Background job commands: `layanan worker`, `layanan scheduler` (beat), `layanan start`.

The worker and beat read the bench's config (sites/common_site_config.json, or the config of
`--site` when given): "redis_queue" for the broker and "bench_id" for queue names. A worker
serves every site that shares its broker.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click

from ..jobs.spec import QUEUES, bench_id, redis_queue_url
from ..site import Site, bench_root, common_config, sites_dir
from .errors import fail, friendly_errors


def _bench_config(root: Path, site_name: str | None) -> dict[str, Any]:
    return Site(site_name, root).config if site_name else common_config(root)


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _require_redis(url: str, wait: float) -> None:
    from ..jobs.broker import ping

    if not ping(url, wait=wait):
        fail(
            f"Redis queue at {_redacted(url)} unreachable",
            hint="start it (`redis-server config/redis_queue.conf`, or `layanan start`) or set "
            '"redis_queue" in sites/common_site_config.json',
        )


def _queues(value: str | None) -> list[str]:
    if not value:
        return list(QUEUES)
    names = [q.strip() for q in value.split(",") if q.strip()]
    unknown = [q for q in names if q not in QUEUES]
    if unknown:
        fail(f"unknown queue {', '.join(unknown)}", hint=f"use some of: {','.join(QUEUES)}")
    return names


wait_option = click.option(
    "--wait",
    type=float,
    default=0.0,
    show_default=True,
    help="Seconds to keep trying to reach Redis before giving up (the Procfile uses 15).",
)
loglevel_option = click.option("--loglevel", default="INFO", show_default=True)


@click.command()
@click.option(
    "--queue", "-q", "queue", help=f"Comma-separated queues (default: {','.join(QUEUES)})."
)
@click.option("--concurrency", "-c", type=click.IntRange(min=1), help="Worker processes.")
@wait_option
@loglevel_option
@click.pass_context
@friendly_errors
def worker(
    click_ctx: click.Context, queue: str | None, concurrency: int | None, wait: float, loglevel: str
) -> None:
    """Run a Celery worker for every site of this bench."""
    from ..jobs.celery_app import create_celery_app, worker_queues

    root = sites_dir()
    config = _bench_config(root, click_ctx.obj.get("site"))
    url, bid = redis_queue_url(config), bench_id(config, root)
    queues = _queues(queue)
    _require_redis(url, wait)
    app = create_celery_app(url, bid=bid)
    argv = [
        "worker",
        f"--loglevel={loglevel}",
        f"--queues={','.join(worker_queues(bid, queues))}",
        f"--hostname=layanan-{bid}-{os.getpid()}@%h",
        # no peer chatter: workers of different benches may share one Redis
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    app.worker_main(argv)


@click.command()
@wait_option
@loglevel_option
@click.pass_context
@friendly_errors
def scheduler(click_ctx: click.Context, wait: float, loglevel: str) -> None:
    """Run Celery beat: the apps' scheduled jobs, for every 'celery' site of this bench."""
    from ..jobs.app_hooks import scheduled_jobs
    from ..jobs.celery_app import create_celery_app
    from ..jobs.scheduler import beat_schedule, bench_apps

    root = sites_dir()
    config = _bench_config(root, click_ctx.obj.get("site"))
    url, bid = redis_queue_url(config), bench_id(config, root)
    jobs = scheduled_jobs(bench_apps(root))
    _require_redis(url, wait)
    app = create_celery_app(
        url, bid=bid, beat_schedule=beat_schedule(jobs, bid), timezone=config.get("time_zone")
    )
    click.echo(f"scheduler: {len(jobs)} scheduled job(s) from the apps' hooks", err=True)
    app.start(["beat", f"--loglevel={loglevel}", f"--schedule={root / 'celerybeat-schedule'}"])


def _procfile(path: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, sep, command = line.partition(":")
        if sep and name.strip() and not name.lstrip().startswith("#"):
            entries[name.strip()] = command.strip()
    return entries


@click.command()
@click.argument("processes", nargs=-1)
@friendly_errors
def start(processes: tuple[str, ...]) -> None:
    """Run the Procfile (web, worker, scheduler, Redis) with honcho; name PROCESSES to run
    only some, e.g. `layanan start web worker scheduler` when Redis already runs."""
    root = Path.cwd() if (Path.cwd() / "Procfile").is_file() else bench_root()
    procfile = root / "Procfile"
    if not procfile.is_file():
        fail(f"no Procfile in {root}", hint="run `layanan start` from the bench folder")
    entries = _procfile(procfile)
    unknown = [p for p in processes if p not in entries]
    if unknown:
        fail(f"no process {', '.join(unknown)} in {procfile}", hint=f"have: {' '.join(entries)}")
    wanted = [entries[p] for p in processes] if processes else list(entries.values())
    if any(c.startswith("redis-server") for c in wanted) and not shutil.which("redis-server"):
        fail(
            "redis-server not found",
            hint="install it (apt-get install redis-server) or start only "
            "`layanan start web worker scheduler` against your own Redis",
        )
    env = dict(os.environ)
    # the Procfile calls `layanan`: make this interpreter's scripts folder win
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    os.chdir(root)  # Procfile lines use paths relative to the bench (config/...)
    argv = [sys.executable, "-m", "honcho", "-f", str(procfile), "-d", str(root), "start"]
    os.execve(sys.executable, [*argv, *processes], env)


COMMANDS: list[click.Command] = [worker, scheduler, start]
