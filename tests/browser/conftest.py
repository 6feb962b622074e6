"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium; never downloaded)
against the real web app served by uvicorn on a free port, on a site of their own.

They are skipped — with the reason — only when Chromium or the playwright package is
missing; scripts/test.sh installs both, so in CI they run. Screenshots of the key screens
go to tests/browser/artifacts/ (git-ignored)."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "core"))  # desk_helpers

CHROMIUM = os.environ.get("LAYANAN_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        return f"Chromium tidak terpasang ({CHROMIUM}); scripts/test.sh memasangnya"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "paket Python playwright tidak terpasang (pip install -e 'apps/layanan_sosial[test]')"
        )
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason:
        for item in items:
            if Path(str(item.fspath)).parent == Path(__file__).parent:
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_site(tmp_path_factory):
    """A migrated SQLite site (the browser flows are about the desk, not the database;
    the server-side desk tests cover both backends)."""
    from desk_helpers import root_conftest

    shared = root_conftest()
    root = tmp_path_factory.mktemp("browser-sites")
    (root / "common_site_config.json").write_text("{}")
    # every browser test signs in from 127.0.0.1 on this one site: the per-address login
    # limit (tested in tests/core/test_auth.py and tests/api/test_client_ip.py) would
    # otherwise refuse the suite's 31st sign-in within a minute
    site = shared.make_site(root, "sqlite", extra={"login_rate_per_minute": 1000})
    yield site
    shared.drop_site(site)


@pytest.fixture(scope="session")
def live_server(live_site):
    import uvicorn

    from layanan_sosial.core.web.app import create_app

    os.environ["LAYANAN_SITES_DIR"] = str(live_site.root)
    os.environ["LAYANAN_SITE"] = live_site.name
    port = _free_port()
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started, "the desk server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    os.environ.pop("LAYANAN_SITE", None)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server,
        viewport={"width": 1280, "height": 800},
        locale="id-ID",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())
    yield tab
    context.close()


@pytest.fixture
def shot():
    """shot(page, "name") saves tests/browser/artifacts/name.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def save(tab, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return save
