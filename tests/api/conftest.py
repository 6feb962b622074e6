"""An HTTP client against the REST routes of a test site (real database, real auth)."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from layanan_sosial.core.api.routes import api_routes


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
