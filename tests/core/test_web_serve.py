"""`layanan serve` in a real process on a real port: ping, Host-header site selection, login."""

from __future__ import annotations

import socket
import subprocess
import time

import httpx
import pytest
from site_bench import ADMIN_PASSWORD, LAYANAN, open_bench


@pytest.fixture
def bench(tmp_path, monkeypatch):
    yield from open_bench(tmp_path, monkeypatch)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(base: str, proc: subprocess.Popen) -> None:
    for _ in range(150):
        if proc.poll() is not None:
            raise AssertionError(f"server ended: {proc.communicate()}")
        try:
            if httpx.get(base + "/api/method/ping", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("server did not answer")


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_and_picks_the_site_by_host(bench, workers):
    bench.new_site("alpha.test")
    bench.new_site("beta.test")
    bench.run("use", "alpha.test")
    port = _free_port()
    proc = subprocess.Popen(
        [*LAYANAN, "serve", "--port", str(port), "--workers", str(workers)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, proc)
        assert httpx.get(base + "/api/method/ping").json() == {"message": "pong"}
        beta = httpx.get(base + "/", headers={"Host": f"beta.test:{port}"})
        assert "Situs <strong>beta.test</strong>" in beta.text
        assert "Situs <strong>alpha.test</strong>" in httpx.get(base + "/").text
        login = httpx.post(
            base + "/api/method/login",
            json={"usr": "Administrator", "pwd": ADMIN_PASSWORD},
            headers={"Host": "beta.test"},
        )
        assert login.json()["message"] == "Logged In"
        busy = bench.run("serve", "--port", str(port), check=False)
        assert busy.returncode != 0 and "sudah dipakai" in busy.stderr
        # a process manager stops the server by signalling the process it started: nothing
        # (gunicorn's master or workers) may outlive it and keep the port
        proc.terminate()
        proc.wait(timeout=15)
        assert _closed(port, within=15), "the server outlived `layanan serve`"
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=15)


def _closed(port: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return True
        time.sleep(0.2)
    return False
