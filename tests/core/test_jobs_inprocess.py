"""Jobs in the embedded default ('inprocess'): after commit, own transaction, dedupe, retry."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitekit import backends, drop_site, make_site

from layanan_sosial.core.jobs import JobError, enqueue, wait_for_jobs
from layanan_sosial.core.jobs.inprocess import runner
from layanan_sosial.core.site import Site
from layanan_test_app.jobs import GATE, count_hash

JOBS = "layanan_test_app.jobs"


@pytest.fixture(scope="module", params=backends())
def jsite(request: pytest.FixtureRequest, sites_root: Path) -> Iterator[Site]:
    """A committed-to site in in-process mode (each test uses its own unique marks)."""
    created = make_site(sites_root, request.param, extra={"jobs_mode": "inprocess"})
    assert created.jobs_mode == "inprocess"
    yield created
    assert wait_for_jobs(30)
    drop_site(created)


def mark() -> str:
    return f"job-{secrets.token_hex(4)}"


def test_job_runs_after_commit_in_its_own_transaction(jsite: Site) -> None:
    judul = mark()
    with jsite.begin() as ctx:
        source = ctx.new_doc("Uji Hash", judul="source").insert()
        enqueue(ctx, f"{JOBS}.create_hash", judul=judul, source=source.name)
        assert runner.wait(0), "nothing may start before the commit"
    assert wait_for_jobs(30)
    # the job found `source`, so it saw the committed data
    assert count_hash(jsite, judul) == 1


def test_rolled_back_transaction_sends_nothing(jsite: Site) -> None:
    judul = mark()
    with pytest.raises(RuntimeError), jsite.begin() as ctx:
        enqueue(ctx, f"{JOBS}.create_hash", judul=judul)
        raise RuntimeError("caller fails after enqueue")
    with jsite.begin() as ctx:
        enqueue(ctx, f"{JOBS}.create_hash", judul=judul)
        ctx.rollback()  # explicit rollback mid-transaction drops it too
    assert wait_for_jobs(30)
    assert count_hash(jsite, judul) == 0


def test_job_id_dedupes_pending_and_running_jobs(jsite: Site) -> None:
    judul = mark()
    job = f"{JOBS}.gated_create"
    GATE.clear()  # the first job stays running until the gate opens
    try:
        with jsite.begin() as ctx:
            enqueue(ctx, job, job_id=judul, judul=judul)
            enqueue(ctx, job, job_id=judul, judul=judul)  # same transaction
        # read-only, so SQLite does not wait for the running job's write lock
        with jsite.begin(write=False) as ctx:
            enqueue(ctx, job, job_id=judul, judul=judul)  # first still running
    finally:
        GATE.set()
    assert wait_for_jobs(30)
    assert count_hash(jsite, judul) == 1
    with jsite.begin() as ctx:  # finished: the id is free again
        enqueue(ctx, job, job_id=judul, judul=judul)
    assert wait_for_jobs(30)
    assert count_hash(jsite, judul) == 2


def test_failing_job_rolls_back_its_writes_and_logs_traceback(
    jsite: Site, caplog: pytest.LogCaptureFixture
) -> None:
    judul = mark()
    with caplog.at_level(logging.ERROR, logger="layanan_sosial.core.jobs"):
        with jsite.begin() as ctx:
            enqueue(ctx, f"{JOBS}.create_then_fail", judul=judul)
        assert wait_for_jobs(30)
    assert count_hash(jsite, judul) == 0
    failures = [r for r in caplog.records if f"{JOBS}.create_then_fail" in r.getMessage()]
    assert failures and failures[0].exc_info, "failure is logged with its traceback"
    assert jsite.name in failures[0].getMessage()


def test_retryable_job_is_retried_and_each_attempt_is_its_own_transaction(jsite: Site) -> None:
    judul = mark()
    with jsite.begin() as ctx:
        enqueue(ctx, f"{JOBS}.flaky_create", judul=judul, failures=1)
    assert wait_for_jobs(30)
    assert count_hash(jsite, f"{judul}-attempt-1") == 0  # failed attempt rolled back
    assert count_hash(jsite, f"{judul}-attempt-2") == 1


def test_unmarked_job_is_not_retried(jsite: Site, caplog: pytest.LogCaptureFixture) -> None:
    judul = mark()
    with caplog.at_level(logging.ERROR, logger="layanan_sosial.core.jobs"):
        with jsite.begin() as ctx:
            enqueue(ctx, f"{JOBS}.create_then_fail", judul=judul)
        assert wait_for_jobs(30)
    failures = [r.getMessage() for r in caplog.records if "create_then_fail" in r.getMessage()]
    assert len(failures) == 1 and "will retry" not in failures[0]


@pytest.mark.parametrize(
    ("method", "kwargs", "queue", "message"),
    [
        ("os.system", {}, "default", "not a function of an installed app"),
        (f"{JOBS}.no_such_fn", {}, "default", "has no function"),
        ("layanan_test_app.nope.fn", {}, "default", "cannot import"),
        (f"{JOBS}.create_hash", {"judul": object()}, "default", "must be JSON values"),
        (f"{JOBS}.create_hash", {"judul": "x"}, "urgent", "unknown job queue"),
    ],
)
def test_enqueue_rejects_bad_jobs_in_the_caller(
    jsite: Site, method: str, kwargs: dict, queue: str, message: str
) -> None:
    with jsite.begin() as ctx, pytest.raises(JobError, match=message):
        enqueue(ctx, method, queue=queue, **kwargs)
