"""The web application factory: the site comes from the Host header, else the default site,
else a 404 JSON; pages get a per-request Context through a FastAPI dependency."""

from __future__ import annotations

import json

import pytest
from site_bench import open_bench
from starlette.testclient import TestClient

from layanan_sosial.core.sites_admin import create_site
from layanan_sosial.core.users import generate_keys
from layanan_sosial.core.web.app import create_app
from layanan_sosial.core.web.dependencies import RequestContext


@pytest.fixture
def bench(tmp_path, monkeypatch):
    yield from open_bench(tmp_path, monkeypatch)


@pytest.fixture
def two_sites(bench):
    alpha, _ = create_site("alpha.test", admin_password="x")
    beta, _ = create_site("beta.test", admin_password="x")
    return alpha, beta


@pytest.fixture
def client(two_sites):
    with TestClient(create_app()) as test_client:
        yield test_client


def _site_on_page(response) -> str:
    return response.text.split("Situs <strong>")[1].split("<")[0]


def test_host_header_picks_the_site(client):
    assert _site_on_page(client.get("/", headers={"Host": "beta.test"})) == "beta.test"
    assert _site_on_page(client.get("/", headers={"Host": "beta.test:8000"})) == "beta.test"
    assert _site_on_page(client.get("/", headers={"Host": "alpha.test"})) == "alpha.test"
    header = {"Host": "127.0.0.1:8000", "X-Frappe-Site-Name": "beta.test"}
    assert _site_on_page(client.get("/", headers=header)) == "beta.test"
    # a Host that names no site: the default site (the first one created)
    assert _site_on_page(client.get("/", headers={"Host": "127.0.0.1:8000"})) == "alpha.test"


def test_no_site_is_a_404_json(bench, client):
    (bench.root / "currentsite.txt").unlink()
    for path in ("/", "/api/method/ping"):
        response = client.get(path, headers={"Host": "tidak-ada.test"})
        assert response.status_code == 404
        body = response.json()
        assert body["exc_type"] == "SiteNotFoundError"
        assert "tidak-ada.test" in (body.get("message") or body.get("_error_message"))
    assert client.get("/", headers={"Host": "beta.test"}).status_code == 200


def test_ping_and_landing_page(client):
    assert client.get("/api/method/ping").json() == {"message": "pong"}
    page = client.get("/", headers={"Host": "beta.test"})
    assert page.headers["content-type"].startswith("text/html")
    assert 'lang="id"' in page.text and "Layanan Sosial Terpadu" in page.text
    assert 'href="/app"' in page.text and 'href="/login"' in page.text
    missing = client.get("/halaman-tidak-ada", headers={"Host": "beta.test", "Accept": "text/html"})
    assert missing.status_code == 404 and "tidak ditemukan" in missing.text
    assert client.get("/api/tidak/ada").status_code == 404  # the API's own JSON 404


def test_pages_get_a_context_as_the_request_user(two_sites, client):
    _, beta = two_sites
    with beta.begin() as ctx:
        key, secret = generate_keys(ctx, "Administrator")
    auth = {"Host": "beta.test", "Authorization": f"token {key}:{secret}"}
    page = client.get("/", headers=auth)
    assert "Anda masuk sebagai <strong>Administrator</strong>" in page.text
    assert 'href="/login"' not in page.text
    bad = client.get("/", headers={**auth, "Authorization": "token salah:salah"})
    assert bad.status_code == 401 and bad.json()["exc_type"] == "AuthenticationError"


def test_the_context_dependency_commits_or_rolls_back(two_sites):
    """One transaction per request: committed when the page returns, rolled back on error."""
    app = create_app()

    @app.post("/uji/{role}")
    def make_role(role: str, ctx: RequestContext, fail: str = "") -> dict:
        ctx.set_user("Administrator")
        if fail == "commit":  # a write failed inside and was swallowed: commit must refuse
            try:
                with ctx.atomic():
                    ctx.new_doc("Role", role_name=role).insert()
                    raise RuntimeError("sengaja")
            except RuntimeError:
                pass
            return {"site": ctx.site.name}
        ctx.new_doc("Role", role_name=role).insert()
        if fail:
            raise RuntimeError("sengaja")
        return {"site": ctx.site.name}

    with TestClient(app, raise_server_exceptions=False) as test_client:
        ok = test_client.post("/uji/Peran Web", headers={"Host": "beta.test"})
        assert ok.json() == {"site": "beta.test"}
        failed = test_client.post("/uji/Peran Gagal?fail=raise", headers={"Host": "beta.test"})
        assert failed.status_code == 500
        # the transaction ends before the response: a refused commit is never a 200
        refused = test_client.post("/uji/Peran Tolak?fail=commit", headers={"Host": "beta.test"})
        assert refused.status_code == 500
        assert refused.json()["exc_type"] == "TransactionFailedError"
    _, beta = two_sites
    with beta.begin() as ctx:
        assert ctx.exists("Role", "Peran Web")
        assert not ctx.exists("Role", "Peran Gagal")
        assert not ctx.exists("Role", "Peran Tolak")


def test_an_api_crash_outside_the_handlers_still_answers_json():
    """The direct /api dispatch has no FastAPI error middleware: its last resort answers
    a JSON 500, never the server's plain-text page."""
    import asyncio
    import threading

    from layanan_sosial.core.web.app import _json_500_on_crash

    async def crashing(scope, receive, send):
        raise RuntimeError("rusak")

    sent = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    scope = {"type": "http", "method": "GET", "path": "/api/x", "headers": []}
    # in a thread of its own: other tests (Playwright) may leave an event loop running here
    worker = threading.Thread(
        target=lambda: asyncio.run(_json_500_on_crash(crashing, scope, receive, send))
    )
    worker.start()
    worker.join(timeout=10)
    assert sent[0]["status"] == 500
    assert (b"content-type", b"application/json") in sent[0]["headers"]
    assert json.loads(sent[1]["body"])["exc_type"] == "InternalServerError"
