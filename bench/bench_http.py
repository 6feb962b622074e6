"""HTTP throughput and latency of the REST API against a real server (gunicorn, 2 uvicorn
workers), token auth as a System Manager user, on 20,000 documents, with wrk.

    .venv/bin/python bench/bench_http.py [--backend mariadb|sqlite] [--docs 20000] [--seconds 15]

Needs Debian's `wrk` (apt-get install wrk). Prints requests/s and p50/p99 per scenario at 16
and 64 connections. Frappe v15.55 on this machine for scale: filtered list ≈ 128 req/s,
one document ≈ 145 req/s, create ≈ 80 req/s, bare ping ≈ 180 req/s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import _api_site
import _site
import httpx

LUA_CREATE = r"""
counter = 0
request = function()
  counter = counter + 1
  local id = string.format("%d%06d%06d", 9, math.random(0, 999999), counter)
  local body = '{"nama_lengkap":"Penerima HTTP ' .. id .. '","nik":"' .. id .. '","jenis_kelamin":"Perempuan",' ..
               '"tanggal_lahir":"1980-01-01","status":"Aktif","desil":3,"baris":[{"layanan":"Sandang","jumlah":1}]}'
  return wrk.format("POST", nil, {["Content-Type"]="application/json", ["Authorization"]=TOKEN}, body)
end
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _parse(output: str) -> tuple[float, str, str]:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))

    def pct(p: str) -> str:
        match = re.search(rf"\s{p}%\s+([\d.]+\w+)", output)
        return match.group(1) if match else "?"

    return rps, pct("50"), pct("99")


def wrk(
    url: str, token: str, connections: int, seconds: int, script: str | None = None
) -> tuple[float, str, str]:
    cmd = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        f"Authorization: {token}",
    ]
    if script:
        cmd += ["-s", script]
    result = subprocess.run([*cmd, url], capture_output=True, text=True, check=True)
    return _parse(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="mariadb", choices=["mariadb", "sqlite"])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument(
        "--only", default="", help="comma-separated: ping,one,list,create (default: all)"
    )
    parser.add_argument("--connections", default="16,64", help="comma-separated, e.g. 16")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    site = _site.create(args.backend)
    server = None
    try:
        token, some = _api_site.seed(site, args.docs)
        port = _free_port()
        env = {
            **os.environ,
            "LAYANAN_SITES_DIR": str(site.root),
            "LAYANAN_SITE": site.name,
            "PYTHONPATH": str(Path(__file__).parent / "bench_app"),
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-k",
                "uvicorn_worker.UvicornWorker",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "layanan_sosial.core.web.app:create_app()",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/api/method/ping", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        filters = quote('[["status","=","Aktif"],["desil","<=",5]]')
        fields = quote('["name","nama_lengkap","nik","status","desil","modified"]')
        scenarios = {
            "ping": f"{base}/api/method/ping",
            "GET one document": f"{base}/api/resource/Bench%20Dokumen/{quote(some)}",
            "GET filtered list of 20": f"{base}/api/resource/Bench%20Dokumen?filters={filters}&fields={fields}&limit_page_length=20&order_by=modified%20desc",
        }
        script = Path(tempfile.mkdtemp()) / "create.lua"
        script.write_text(f'TOKEN = "{token}"\n' + LUA_CREATE)
        print(
            f"backend: {args.backend}; {args.docs:,} documents; gunicorn 2 workers; wrk -t2 -d{args.seconds}s"
        )
        keys = dict(zip(("ping", "one", "list"), scenarios, strict=True))
        only = {k.strip() for k in args.only.split(",") if k.strip()} or {*keys, "create"}
        for connections in (int(c) for c in args.connections.split(",")):
            for key, label in keys.items():
                if key not in only:
                    continue
                rps, p50, p99 = wrk(scenarios[label], token, connections, args.seconds)
                print(
                    f"  c={connections:<3} {label:26s} {rps:8.0f} req/s   p50 {p50:>8}   p99 {p99:>8}"
                )
            if "create" not in only:
                continue
            rps, p50, p99 = wrk(
                f"{base}/api/resource/Bench%20Dokumen",
                token,
                connections,
                args.seconds,
                str(script),
            )
            print(
                f"  c={connections:<3} {'POST create':26s} {rps:8.0f} req/s   p50 {p50:>8}   p99 {p99:>8}"
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        _site.drop(site)


if __name__ == "__main__":
    main()
