"""Fixtures of the server-side desk tests in tests/core: a committed site of their own per
backend (module scope: desk requests commit, so engine tests never see these rows) and an
HTTP client of the whole web app for it."""

from __future__ import annotations

import pytest
from sitekit import backends, drop_site, make_site
from starlette.testclient import TestClient

from layanan_sosial.core.web.app import create_app


@pytest.fixture(scope="module", params=backends())
def desk_site(request, sites_root):
    created = make_site(sites_root, request.param)
    yield created
    drop_site(created)


@pytest.fixture
def client(desk_site, monkeypatch):
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(desk_site.root))
    with TestClient(create_app(), base_url=f"http://{desk_site.name}") as test_client:
        yield test_client
