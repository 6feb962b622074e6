"""Jobs on a REAL Celery worker (subprocess `layanan worker`) and the real Redis.

Queue names carry the bench id (a hash of this run's temporary sites folder), so runs that
share one Redis never take each other's jobs. The worker runs one process (concurrency 1),
so jobs on one queue run in the order sent: "B is visible" proves "A, sent before, ran".
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sitekit import TEST_APPS, backends, drop_site, make_site

from layanan_sosial.core.jobs import enqueue
from layanan_sosial.core.jobs.celery_app import SCHEDULED, producer_app
from layanan_sosial.core.jobs.spec import bench_id, queue_name
from layanan_sosial.core.site import Site, common_config
from layanan_test_app.jobs import count_hash, wait_for_hash, write_hook_app

REDIS = os.environ.get("LAYANAN_TEST_REDIS", "redis://127.0.0.1:6379")
TESTS = Path(__file__).resolve().parents[1]
JOBS = "layanan_test_app.jobs"


def mark() -> str:
    return f"celery-{secrets.token_hex(4)}"


@pytest.fixture(scope="module")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A sites folder of its own whose common config points every site at the test Redis."""
    client = redis.Redis.from_url(REDIS, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.fail(f"Redis at {REDIS} unreachable ({exc}); scripts/test.sh starts it")
    root = tmp_path_factory.mktemp("celery-bench")
    apps = tmp_path_factory.mktemp("celery-apps")
    hook_app = write_hook_app(apps)
    sys.path.insert(0, str(apps))
    (root / "hook_app.txt").write_text(hook_app)
    (root / "common_site_config.json").write_text(
        f'{{"redis_queue": "{REDIS}", "jobs_mode": "celery"}}'
    )
    yield root
    sys.path.remove(str(apps))
    bid = bench_id(common_config(root), root)
    for key in client.scan_iter(match=f"*layanan:{bid}:*", count=1000):
        client.delete(key)


@pytest.fixture(scope="module")
def csites(bench: Path) -> Iterator[dict[str, Site]]:
    created = {backend: make_site(bench, backend) for backend in backends()}
    # the paused site also carries an app with scheduler hooks, for beat's schedule
    hook_app = (bench / "hook_app.txt").read_text()
    created["paused"] = make_site(
        bench, "sqlite", apps=[*TEST_APPS, hook_app], extra={"pause_scheduler": 1}
    )
    yield created
    for site in created.values():
        drop_site(site)


def _start(bench: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "LAYANAN_SITES_DIR": str(bench),
        "PYTHONPATH": os.pathsep.join(
            [str(TESTS / "test_app"), *_app_dirs(), os.environ.get("PYTHONPATH", "")]
        ),
    }
    env.pop("LAYANAN_SITE", None)
    command = [sys.executable, "-m", "layanan_sosial.core.cli.main", *args]
    return subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


def _app_dirs() -> list[str]:
    """Folders of the throw-away hook apps on this process's sys.path."""
    return [p for p in sys.path if Path(p).name.startswith("celery-apps")]


def _stop(proc: subprocess.Popen[bytes]) -> int:
    """Warm shutdown (SIGTERM) as a supervisor would; kill only if it hangs."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise


@pytest.fixture(scope="module")
def worker(bench: Path, csites: dict[str, Site]) -> Iterator[Path]:
    log = bench / "worker.log"
    proc = _start(bench, log, "worker", "--concurrency", "1", "--loglevel", "INFO")
    yield log
    code = _stop(proc)
    assert code == 0, log.read_text()
    assert "Warm shutdown" in log.read_text() or "worker: Warm shutdown" in log.read_text()


def _wait(site: Site, judul: str, log: Path, count: int = 1) -> None:
    assert wait_for_hash(site, judul, timeout=30, count=count), (
        f"job effect {judul!r} not visible in 30 s; worker log:\n{log.read_text()[-4000:]}"
    )


@pytest.fixture(params=backends())
def csite(request: pytest.FixtureRequest, csites: dict[str, Site]) -> Site:
    return csites[request.param]


def test_job_runs_on_a_real_worker_after_commit(csite: Site, worker: Path) -> None:
    assert csite.jobs_mode == "celery"
    judul = mark()
    with csite.begin() as ctx:
        source = ctx.new_doc("Uji Hash", judul="source").insert()
        enqueue(ctx, f"{JOBS}.create_hash", judul=judul, source=source.name)
    _wait(csite, judul, worker)


def test_rolled_back_transaction_never_reaches_the_queue(csite: Site, worker: Path) -> None:
    lost, later = mark(), mark()
    with pytest.raises(RuntimeError), csite.begin() as ctx:
        enqueue(ctx, f"{JOBS}.create_hash", judul=lost)
        raise RuntimeError("caller fails")
    with csite.begin() as ctx:
        enqueue(ctx, f"{JOBS}.create_hash", judul=later)
    _wait(csite, later, worker)
    assert count_hash(csite, lost) == 0


def test_failing_job_rolls_back_and_is_logged(csite: Site, worker: Path) -> None:
    failed, later = mark(), mark()
    with csite.begin() as ctx:
        enqueue(ctx, f"{JOBS}.create_then_fail", judul=failed)
        enqueue(ctx, f"{JOBS}.create_hash", judul=later)
    _wait(csite, later, worker)
    assert count_hash(csite, failed) == 0
    text = worker.read_text()
    assert f"job {JOBS}.create_then_fail on site {csite.name} failed" in text
    assert f"job failed on purpose after writing {failed}" in text
    assert "Traceback" in text


def test_retryable_job_is_retried_by_celery(csite: Site, worker: Path) -> None:
    judul = mark()
    with csite.begin() as ctx:
        enqueue(ctx, f"{JOBS}.flaky_create", judul=judul, failures=1)
    _wait(csite, f"{judul}-attempt-2", worker)
    assert count_hash(csite, f"{judul}-attempt-1") == 0


def test_job_id_is_deduplicated_in_redis(csite: Site, worker: Path) -> None:
    judul, later = mark(), mark()
    with csite.begin() as ctx:
        enqueue(ctx, f"{JOBS}.slow_create", job_id=judul, judul=judul, seconds=2)
    # arrives while the first is queued or running (read-only: SQLite does not wait for the
    # job's write lock, so this commits long before the first job can finish)
    with csite.begin(write=False) as ctx:
        enqueue(ctx, f"{JOBS}.slow_create", job_id=judul, judul=judul, seconds=2)
    with csite.begin() as ctx:
        enqueue(ctx, f"{JOBS}.create_hash", judul=later)
    _wait(csite, later, worker)
    assert count_hash(csite, judul) == 1
    with csite.begin() as ctx:  # done: the id is free again
        enqueue(ctx, f"{JOBS}.slow_create", job_id=judul, judul=judul, seconds=0)
    _wait(csite, judul, worker, count=2)


def test_scheduled_fan_out_runs_for_every_unpaused_site(
    bench: Path, csites: dict[str, Site], worker: Path
) -> None:
    """What beat sends each tick: one fan-out task; the worker enqueues per site."""
    bid = bench_id(common_config(bench), bench)
    producer_app(REDIS, bid).send_task(
        SCHEDULED,
        kwargs={
            "app_name": "layanan_test_app",
            "method": f"{JOBS}.record_tick",
            "queue": "default",
        },
        queue=queue_name(bid, "short"),
    )
    for backend in backends():
        site = csites[backend]
        _wait(site, f"tick:{site.name}", worker)
    paused = csites["paused"]
    assert count_hash(paused, f"tick:{paused.name}") == 0


def test_beat_starts_with_the_schedule_from_hooks(bench: Path, csites: dict[str, Site]) -> None:
    log = bench / "beat.log"
    proc = _start(bench, log, "scheduler", "--loglevel", "DEBUG")
    try:
        deadline = time.monotonic() + 20
        while "beat: Starting" not in log.read_text() and time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()
            time.sleep(0.2)
        text = log.read_text()
        assert "scheduler: 6 scheduled job(s) from the apps' hooks" in text, text
        assert "beat: Starting" in text, text
        assert f"{JOBS}.record_five" in text  # beat's DEBUG "Current schedule" lists it
    finally:
        _stop(proc)
