"""CPU cost per REST request inside one process, without a server or a load generator:
the same scenarios as bench_http.py (GET one, filtered list of 20, POST create, ping) are
sent straight to the ASGI app, and the process CPU time per request is printed — a figure
that stays meaningful on a busy machine, where wrk's requests/s do not.

    .venv/bin/python bench/profile_api.py [--backend mariadb|sqlite] [--docs 20000]
                                          [--requests 2000] [--profile SCENARIO]

With --profile, the scenario runs under cProfile and the 30 most expensive functions
(cumulative) are printed: where to look when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import time
from pathlib import Path
from urllib.parse import quote

import _api_site
import _site


class Scenario:
    def __init__(self, method: str, path: str, query: str = "", body: bytes = b""):
        self.method, self.path, self.query, self.body = method, path, query, body


async def call(app, scenario: Scenario, token: str, host: str, body: bytes | None = None) -> int:
    payload = scenario.body if body is None else body
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": scenario.method,
        "scheme": "http",
        "path": scenario.path,
        "raw_path": scenario.path.encode(),
        "query_string": scenario.query.encode(),
        "root_path": "",
        "headers": [
            (b"host", host.encode()),
            (b"authorization", token.encode()),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    sent = False
    status = 0

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": payload, "more_body": False}
        await asyncio.sleep(3600)

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def create_body(i: int) -> bytes:
    nik = f"9{i:015d}"
    return json.dumps(
        {
            "nama_lengkap": f"Penerima Profil {i}",
            "nik": nik,
            "jenis_kelamin": "Perempuan",
            "tanggal_lahir": "1980-01-01",
            "status": "Aktif",
            "desil": 3,
            "baris": [{"layanan": "Sandang", "jumlah": 1}],
        }
    ).encode()


async def run(app, scenario: Scenario, token: str, host: str, n: int, create: bool) -> float:
    start = time.process_time()
    for i in range(n):
        status = await call(app, scenario, token, host, create_body(i) if create else None)
        if status != 200:
            raise SystemExit(f"{scenario.method} {scenario.path} -> {status}")
    return (time.process_time() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", default="mariadb", choices=["mariadb", "sqlite"])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", default=None, help="one of: ping, one, list, create")
    parser.add_argument(
        "--inline",
        action="store_true",
        help="run the handlers on the event loop's thread (so cProfile sees them)",
    )
    args = parser.parse_args()
    if args.inline:
        from layanan_sosial.core.api import runner

        async def inline(fn, *fn_args):  # noqa: ANN001, ANN202
            return fn(*fn_args)

        runner.run_in_threadpool = inline
    site = _site.create(args.backend)
    try:
        token, some = _api_site.seed(site, args.docs)
        os.environ["LAYANAN_SITES_DIR"] = str(site.root)
        os.environ["LAYANAN_SITE"] = site.name
        from layanan_sosial.core.web.app import create_app

        app = create_app()
        filters = quote('[["status","=","Aktif"],["desil","<=",5]]')
        fields = quote('["name","nama_lengkap","nik","status","desil","modified"]')
        scenarios = {
            "ping": Scenario("GET", "/api/method/ping"),
            "one": Scenario("GET", f"/api/resource/Bench Dokumen/{some}"),
            "list": Scenario(
                "GET",
                "/api/resource/Bench Dokumen",
                f"filters={filters}&fields={fields}&limit_page_length=20&order_by=modified%20desc",
            ),
            "create": Scenario("POST", "/api/resource/Bench Dokumen"),
        }
        loop = asyncio.new_event_loop()
        print(f"backend {args.backend}; {args.docs:,} documents; {args.requests} requests each")
        offset = 0
        for label, scenario in scenarios.items():
            if args.profile and label != args.profile:
                continue
            is_create = label == "create"
            loop.run_until_complete(
                run(app, scenario, token, site.name, 50, False)
                if not is_create
                else asyncio.sleep(0)
            )
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
            us = loop.run_until_complete(
                run(app, scenario, token, site.name, args.requests, is_create)
                if not is_create
                else _create(app, scenario, token, site.name, args.requests, offset)
            )
            offset += args.requests
            if args.profile:
                profiler.disable()
                pstats.Stats(profiler).sort_stats(
                    os.environ.get("PROFILE_SORT", "cumulative")
                ).print_stats(30)
            print(f"  {label:8s} {us:8.0f} µs CPU per request  (≈ {1e6 / us:,.0f} req/s per core)")
    finally:
        _site.drop(site)


async def _create(app, scenario: Scenario, token: str, host: str, n: int, offset: int) -> float:
    start = time.process_time()
    for i in range(offset, offset + n):
        status = await call(app, scenario, token, host, create_body(i))
        if status != 200:
            raise SystemExit(f"create -> {status}")
    return (time.process_time() - start) / n * 1e6


if __name__ == "__main__":
    Path(__file__)  # keep the import used when run as a script
    main()
