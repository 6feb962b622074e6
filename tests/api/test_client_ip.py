"""Whose address the login and reset limits count: X-Forwarded-For is believed only from a
trusted proxy, so a client cannot dodge the per-address limit by inventing a new address for
each attempt — on both databases, through /api/method/login."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sitekit import backends, drop_site, make_site
from starlette.applications import Starlette
from starlette.testclient import TestClient

from layanan_sosial.core.api.client_ip import client_address
from layanan_sosial.core.api.routes import api_routes
from layanan_sosial.core.site import Site

LOGIN = "/api/method/login"


def test_forwarded_for_counts_only_behind_a_trusted_proxy(monkeypatch):
    monkeypatch.delenv("LAYANAN_TRUSTED_PROXIES", raising=False)
    # straight from the internet: the header is the client's own claim
    assert client_address("203.0.113.9", "10.0.0.1") == "203.0.113.9"
    # nginx on the same host appends what it saw; whatever the client wrote before is ignored
    assert client_address("127.0.0.1", "198.51.100.4") == "198.51.100.4"
    assert client_address("127.0.0.1", "10.0.0.1, 198.51.100.4") == "198.51.100.4"
    assert client_address("::1", None) == "::1"
    # a load balancer in front of nginx, once configured, is skipped like nginx
    monkeypatch.setenv("LAYANAN_TRUSTED_PROXIES", "127.0.0.1, 192.0.2.10")
    assert client_address("127.0.0.1", "10.0.0.1, 198.51.100.4, 192.0.2.10") == "198.51.100.4"
    assert client_address("192.0.2.11", "198.51.100.4") == "192.0.2.11"


@pytest.fixture(scope="module", params=backends())
def site(request: pytest.FixtureRequest, sites_root) -> Iterator[Site]:
    created = make_site(sites_root, request.param, extra={"login_rate_per_minute": 3})
    yield created
    drop_site(created)


def _attempts(site: Site, monkeypatch: pytest.MonkeyPatch, tag: str, count: int) -> list[int]:
    """Failed logins, each claiming another address in X-Forwarded-For — and naming another
    account, so the per-account lockout stays out of the count."""
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(site.root))
    app = Starlette(routes=api_routes())
    with TestClient(app, base_url=f"http://{site.name}") as http:
        return [
            http.post(
                LOGIN,
                json={"usr": f"{tag}.{i}@uji.id", "pwd": "salah"},
                headers={"X-Forwarded-For": f"10.20.30.{i}"},
            ).status_code
            for i in range(count)
        ]


def test_invented_forwarded_addresses_do_not_escape_the_login_limit(site, monkeypatch):
    monkeypatch.delenv("LAYANAN_TRUSTED_PROXIES", raising=False)  # the test client is no proxy
    codes = _attempts(site, monkeypatch, "langsung", 5)
    assert codes[:3] == [401, 401, 401]
    assert codes[3:] == [429, 429]


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(site, monkeypatch):
    monkeypatch.setenv("LAYANAN_TRUSTED_PROXIES", "testclient")
    assert _attempts(site, monkeypatch, "proksi", 5) == [401] * 5
