"""Shared fixtures: test sites on SQLite and on MariaDB (real server, never mocked).

MariaDB is reached through $LAYANAN_TEST_MARIADB (default mariadb://root@127.0.0.1:3306);
the test command (scripts/test.sh) installs and starts it when missing. Set
LAYANAN_TEST_BACKENDS=sqlite to run only SQLite locally — CI always runs both.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mailkit import Received, smtp_capture
from sitekit import backends, drop_site, make_site
from starlette.applications import Starlette
from starlette.testclient import TestClient

from layanan_sosial.core.api.routes import api_routes
from layanan_sosial.core.site import Site


@pytest.fixture(scope="session")
def sites_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("sites")
    (root / "common_site_config.json").write_text("{}")
    return root


@pytest.fixture(scope="session")
def _site_pool(sites_root: Path) -> Iterator[dict[tuple[str, str], Site]]:
    pool: dict[tuple[str, str], Site] = {}
    yield pool
    for created in pool.values():
        drop_site(created)


@pytest.fixture(params=backends())
def site(
    request: pytest.FixtureRequest, sites_root: Path, _site_pool: dict[tuple[str, str], Site]
) -> Site:
    """One migrated site per backend for the whole session (tests roll back via `ctx`).

    HTTP tests commit (every API request is a transaction), so tests/api gets a site of its
    own: rows they leave behind never show up in the engine tests' queries."""
    group = "api" if Path(str(request.node.path)).parent.name == "api" else "core"
    key = (request.param, group)
    if key not in _site_pool:
        _site_pool[key] = make_site(sites_root, request.param)
    return _site_pool[key]


@pytest.fixture
def fresh_site(request: pytest.FixtureRequest, sites_root: Path) -> Iterator[Site]:
    """A brand-new site for tests that commit (parametrize with `backend`)."""
    backend = getattr(request, "param", None) or "sqlite"
    created = make_site(sites_root, backend)
    yield created
    drop_site(created)


@pytest.fixture
def ctx(site: Site):
    """A context whose transaction is rolled back after the test: nothing leaks between tests."""
    from layanan_sosial.core.context import Context

    context = Context.open(site, user="Administrator", write=True, flags={})
    try:
        yield context
    finally:
        context.close()


# -- HTTP (tests/api) ------------------------------------------------------------------


@pytest.fixture
def app():
    return Starlette(routes=api_routes())


@pytest.fixture
def http(app, site, monkeypatch):
    """A client whose Host header names the test site."""
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(site.root))
    with TestClient(app, base_url=f"http://{site.name}") as client:
        yield client


@pytest.fixture
def admin_auth(site):
    with site.begin() as ctx:
        from layanan_sosial.core.users import generate_keys

        key, secret = generate_keys(ctx, "Administrator")
    return {"Authorization": f"token {key}:{secret}"}


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Received]]:
    """A real SMTP server on a free local port: (port, [(recipients, message), ...])."""
    with smtp_capture() as captured:
        yield captured
