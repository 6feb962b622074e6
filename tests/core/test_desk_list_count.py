"""The list's count line on big tables (core/desk/listview.count_rows), on both backends:
small tables are always counted exactly; above the threshold an unfiltered list that no
permission restricts shows the table statistics' estimate ("sekitar …", MariaDB); a count
over its time budget is stopped ("lebih dari …") without harming the request's transaction;
`?count=exact` always counts. The threshold is lowered for the test instead of writing a
million rows (bench/bench_desk_list.py measures the real thing)."""

from __future__ import annotations

import re
import secrets

import pytest
import sqlalchemy as sa
from desk_helpers import login, make_user, root_conftest
from starlette.testclient import TestClient

from layanan_sosial.core.desk import listview
from layanan_sosial.core.web.app import create_app

shared = root_conftest()
COUNT = re.compile(r'data-testid="list-count">([^<]*)<')


@pytest.fixture(scope="module", params=shared.backends())
def count_site(request, sites_root):
    created = shared.make_site(sites_root, request.param)
    with created.begin() as ctx:
        for i in range(25):
            ctx.new_doc("Uji Pengajuan", judul=f"Hitung {i}", nilai=i).insert()
    if created.is_mariadb:
        with created.begin() as ctx:
            ctx.conn.exec_driver_sql("ANALYZE TABLE `tabUji Pengajuan`")
    yield created
    shared.drop_site(created)


@pytest.fixture
def client(count_site, monkeypatch):
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(count_site.root))
    with TestClient(create_app(), base_url=f"http://{count_site.name}") as test_client:
        yield test_client


def _count(client, query=""):
    page = client.get(f"/app/uji-pengajuan?{query}")
    assert page.status_code == 200, page.text[:300]
    return COUNT.search(page.text).group(1).strip(), page.text


def _login(client, site, roles=("System Manager",)):
    email = make_user(site, f"hitung-{secrets.token_hex(4)}@uji.id", list(roles))
    assert login(client, email).status_code == 303


def test_small_tables_are_counted_exactly(client, count_site):
    _login(client, count_site)
    text, page = _count(client)
    assert text == "25 data"
    assert 'data-testid="count-exact"' not in page
    assert _count(client, "ff=nilai&fo=%3E%3D&fv=20")[0] == "5 data"


def test_big_unfiltered_list_shows_the_estimate_and_counts_on_request(
    client, count_site, monkeypatch
):
    monkeypatch.setattr(listview, "ESTIMATE_ABOVE", 10)
    _login(client, count_site)
    text, page = _count(client)
    if count_site.is_mariadb:
        assert re.fullmatch(r"sekitar \d+ data", text), text
        assert 'data-testid="count-exact"' in page and "count=exact" in page
    else:  # SQLite keeps no cheap statistics: it counts
        assert text == "25 data"
    assert _count(client, "count=exact")[0] == "25 data"
    # a filter (or a user's permission scope) is never estimated: counted within the budget
    assert _count(client, "ff=nilai&fo=%3C&fv=3")[0] == "3 data"


def test_a_count_over_its_budget_is_stopped_and_the_request_goes_on(count_site):
    """A deliberately slow count (a recursive sequence of 30M rows) with a 5 ms budget."""
    slow = sa.text(
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 30000000)"
        " SELECT count(*) FROM seq"
    )
    with count_site.begin() as ctx:
        if count_site.is_mariadb:
            ctx.conn.exec_driver_sql("SET SESSION max_recursive_iterations = 40000000")
        assert listview._count_within(ctx, slow, 0.005) is None  # noqa: SLF001
        quick = sa.text("SELECT count(*) FROM `tabUji Pengajuan`")
        assert listview._count_within(ctx, quick, 5) >= 25  # noqa: SLF001
        assert ctx.get_count("Uji Pengajuan") >= 25  # the transaction is still usable
        if count_site.is_mariadb:  # the connection's own statement limit is back
            limit = ctx.conn.exec_driver_sql("SELECT @@SESSION.max_statement_time").scalar()
            assert float(limit) == 0
