"""Frappe's official JavaScript client (npm `frappe-js-sdk`) against a real server process.

The Node side lives in tests/js_sdk/ (`node --test`, files `*.test.mjs`, one per area of
the SDK). This module, once per backend: makes a brand-new site in its own sites folder,
adds users with API keys and a little seed data, starts `layanan --site NAME serve` on a
free port, runs the Node suite against it with the credentials in environment variables
and asserts it passed (its whole output is shown on failure).

Node.js (>= 18) and npm are required like python3: when they are missing the test FAILS
with a message saying so — it never skips. node_modules/ is installed with `npm ci` from
the committed package-lock.json (scripts/test.sh does it too; here it is only redone when
the installed frappe-js-sdk is not the locked one).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from api_helpers import PASSWORD, make_user
from sitekit import backends, drop_site, make_site

from layanan_sosial.core.site import Site

TESTS = Path(__file__).resolve().parents[1]
JS_DIR = TESTS / "js_sdk"
TEST_APP = TESTS / "test_app"
SDK = "frappe-js-sdk"
NODE_TIMEOUT = 300
SERVER_START_TIMEOUT = 60

MANAGER = "sdk.manager@uji.id"
RESTRICTED = "sdk.pemantau@uji.id"


# -- Node and npm ---------------------------------------------------------------------


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(
            f"`{name}` is not on PATH. The frappe-js-sdk compatibility suite needs Node.js "
            ">= 18 and npm (assumed present like python3; install them, e.g. Debian's "
            "`nodejs npm` packages) — this test never skips.",
            pytrace=False,
        )
    return path


def _locked_version() -> str:
    lock = json.loads((JS_DIR / "package-lock.json").read_text())
    return lock["packages"][f"node_modules/{SDK}"]["version"]


def _installed_version() -> str | None:
    manifest = JS_DIR / "node_modules" / SDK / "package.json"
    if not manifest.exists():
        return None
    return json.loads(manifest.read_text()).get("version")


@pytest.fixture(scope="module")
def node() -> str:
    """The node binary, with tests/js_sdk/node_modules installed from the lock file."""
    node_bin, npm_bin = _tool("node"), _tool("npm")
    if _installed_version() != _locked_version():
        result = subprocess.run(
            [npm_bin, "ci", "--no-audit", "--no-fund"],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0:
            pytest.fail(
                f"`npm ci` failed in {JS_DIR}:\n{result.stdout}\n{result.stderr}", pytrace=False
            )
    assert _installed_version() == _locked_version()
    return node_bin


# -- the site and its data -------------------------------------------------------------


def _keys(token_header: str) -> tuple[str, str]:
    key, _, secret = token_header.removeprefix("token ").partition(":")
    return key, secret


def _seed(site: Site) -> dict[str, str]:
    """Users, keys and a resident whose level-2 note the restricted user must never see."""
    manager = make_user(site, MANAGER, roles=("System Manager",))
    restricted = make_user(site, RESTRICTED, roles=("Uji Pemantau",))
    with site.begin() as ctx:
        for kode, induk in (("53", None), ("53.71", "53")):
            ctx.new_doc("Uji Wilayah", kode=kode, nama=f"Wilayah {kode}", induk=induk).insert()
        warga = ctx.new_doc(
            "Uji Warga",
            nama="Warga SDK",
            nik="5371000000000009",
            wilayah="53.71",
            catatan_rahasia="rahasia tingkat dua",
        ).insert()
        single = ctx.get_doc("Uji Tunggal")
        single.judul = "Pengaturan SDK"
        single.save()
    api_key, api_secret = _keys(manager["token"])
    restricted_key, restricted_secret = _keys(restricted["token"])
    return {
        "API_KEY": api_key,
        "API_SECRET": api_secret,
        "USER_EMAIL": MANAGER,
        "USER_PASSWORD": PASSWORD,
        "RESTRICTED_USER": RESTRICTED,
        "RESTRICTED_API_KEY": restricted_key,
        "RESTRICTED_API_SECRET": restricted_secret,
        "WARGA_NAME": str(warga.name),
    }


@pytest.fixture(scope="module", params=backends())
def sdk_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """A fresh site in a sites folder of its own (the server's scheduler sees only it)."""
    root = tmp_path_factory.mktemp(f"js_sdk_{request.param}")
    (root / "common_site_config.json").write_text("{}")
    site = make_site(root, request.param)
    yield site
    drop_site(site)


# -- the server ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(site: Site) -> dict[str, str]:
    paths = [str(TEST_APP), os.environ.get("PYTHONPATH", "")]
    return {
        **os.environ,
        "LAYANAN_SITES_DIR": str(site.root),
        "PYTHONPATH": os.pathsep.join(p for p in paths if p),
    }


def _wait_until_serving(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/api/method/ping", timeout=2) as response:
                if json.load(response) == {"message": "pong"}:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"server did not answer within {SERVER_START_TIMEOUT}s:\n{log.read_text()}")


@contextmanager
def serving(site: Site, log: Path) -> Iterator[str]:
    """`layanan --site NAME serve --port N` as a child process; stopped afterwards."""
    port = _free_port()
    command = [sys.executable, "-m", "layanan_sosial.core.cli.main", "--site", site.name]
    command += ["serve", "--port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(
            command, env=_server_env(site), stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- the test --------------------------------------------------------------------------


def _summary(output: str) -> dict[str, int]:
    """Counts from the spec reporter's closing lines (`ℹ tests 30`, `ℹ fail 0`, …)."""
    return {k: int(v) for k, v in re.findall(r"^ℹ (\w+) (\d+)$", output, flags=re.M)}


def _node_command(node: str) -> list[str]:
    """`node --test`, one file at a time where the runner lets us say so (Node >= 20.10)."""
    command = [node, "--test", "--test-reporter=spec"]
    options = subprocess.run([node, "--help"], capture_output=True, text=True).stdout
    return command + (["--test-concurrency=1"] if "--test-concurrency" in options else [])


def test_frappe_js_sdk_suite(node: str, sdk_site: Site, tmp_path: Path) -> None:
    credentials = _seed(sdk_site)
    with serving(sdk_site, tmp_path / "server.log") as url:
        result = subprocess.run(
            _node_command(node),
            cwd=JS_DIR,
            env={**os.environ, **credentials, "SITE_URL": url, "NO_COLOR": "1"},
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT,
        )
    output = result.stdout + result.stderr
    server_log = (tmp_path / "server.log").read_text()
    report = f"{output}\n--- server log ---\n{server_log}"
    summary = _summary(result.stdout)
    print(f"frappe-js-sdk suite on {sdk_site.name}: {summary}")  # shown with -s / -rP
    assert result.returncode == 0, f"frappe-js-sdk suite failed on {sdk_site.name}:\n{report}"
    assert summary.get("fail") == 0 and summary.get("tests", 0) >= 30, report


# -- what the SDK revealed, pinned at the HTTP level (fast, in-process, both backends) --


def test_serve_with_site_answers_any_host(app, site, monkeypatch, admin_auth) -> None:
    """`layanan --site NAME serve` (it sets $LAYANAN_SITE) serves NAME to clients that
    reach it by IP, like `bench --site NAME serve`; a Host naming a site still wins."""
    from starlette.testclient import TestClient

    monkeypatch.setenv("LAYANAN_SITES_DIR", str(site.root))
    monkeypatch.setenv("LAYANAN_SITE", site.name)
    with TestClient(app, base_url="http://127.0.0.1:8123") as client:
        response = client.get("/api/method/frappe.auth.get_logged_user", headers=admin_auth)
    assert response.json() == {"message": "Administrator"}


def test_json_content_type_with_empty_body_reads_the_query(http, admin_auth) -> None:
    """axios sends its JSON Content-Type on a body-less DELETE with params (call().delete)."""
    http.post(
        "/api/resource/Uji Validasi", json={"kode": "JSD1", "nama": "Hapus"}, headers=admin_auth
    )
    response = http.delete(
        "/api/method/frappe.client.delete",
        params={"doctype": "Uji Validasi", "name": "JSD1"},
        headers={**admin_auth, "Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 200 and response.json() == {}
    assert http.get("/api/resource/Uji Validasi/JSD1", headers=admin_auth).status_code == 404


def test_get_value_answers_like_frappe(http, admin_auth) -> None:
    http.post(
        "/api/resource/Uji Validasi",
        json={"kode": "JSV1", "nama": "Nilai", "jumlah": 7},
        headers=admin_auth,
    )

    def get_value(fieldname: str, filters: str, **extra: str) -> dict:
        params = {"doctype": "Uji Validasi", "fieldname": fieldname, "filters": filters, **extra}
        response = http.get(
            "/api/method/frappe.client.get_value", params=params, headers=admin_auth
        )
        assert response.status_code == 200, response.text
        return response.json()

    name = json.dumps([["name", "=", "JSV1"]])
    nothing = json.dumps([["name", "=", "tidak-ada"]])
    assert get_value('["nama", "jumlah"]', name) == {"message": {"nama": "Nilai", "jumlah": 7}}
    assert get_value('["nama", "jumlah"]', name, as_dict="false") == {"message": ["Nilai", 7]}
    assert get_value('["jumlah"]', name, as_dict="0") == {"message": 7}
    assert get_value("nama", nothing) == {"message": {}}
    assert get_value("nama", nothing, as_dict="false") == {}
    assert "name" in get_value("name", "[]")["message"]  # no filters: the first row


def test_failed_login_body_has_message_and_counts_towards_lockout(http, site) -> None:
    make_user(site, "kunci.sdk@uji.id", roles=("System Manager",))
    for _ in range(5):
        bad = http.post("/api/method/login", json={"usr": "kunci.sdk@uji.id", "pwd": "salah"})
        assert bad.status_code == 401
        assert bad.json()["message"] == "Invalid login credentials"
        assert bad.json()["exc_type"] == "AuthenticationError"
    locked = http.post("/api/method/login", json={"usr": "kunci.sdk@uji.id", "pwd": PASSWORD})
    assert locked.status_code == 429 and locked.json()["exc_type"] == "TooManyRequestsError"
    v2 = http.post("/api/v2/method/login", json={"usr": "kunci.sdk@uji.id", "pwd": "salah"})
    assert v2.status_code == 429 and v2.json()["errors"][0]["type"] == "TooManyRequestsError"
