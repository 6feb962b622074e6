"""ASGI application factory. One app serves every site of the bench; each request picks
its site from the Host header (see site_resolver.py), else the default site.

The REST API (core/api) is a set of plain Starlette routes mounted as they are, so its hot
path carries no FastAPI dependency machinery; pages use FastAPI dependencies
(dependencies.py) for the per-request Context.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from ..api.routes import api_routes
from ..desk.routes import install as install_desk
from . import errors, pages


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    import anyio.to_thread

    # DB work runs in worker threads; more of them than pooled connections only adds GIL
    # contention (measured: fewer threads, same or better throughput and tail latency)
    anyio.to_thread.current_default_thread_limiter().total_tokens = int(
        os.environ.get("LAYANAN_THREADS", "12")
    )
    stop = None
    if os.environ.get("LAYANAN_INPROCESS_SCHEDULER") == "1":
        from ..jobs.scheduler import start_inprocess_scheduler
        from ..site import sites_dir

        stop = start_inprocess_scheduler(sites_dir())
    yield
    if stop is not None:
        stop.stop()


def create_app() -> FastAPI:
    app = FastAPI(
        title="Layanan Sosial Terpadu",
        lifespan=lifespan,
        # the API publishes its own, meta-driven /api/openapi.json and /api/docs
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    # the API first: it carries most requests, and every route tried before costs a match
    app.router.routes.extend(api_routes())
    app.include_router(pages.router)
    install_desk(app)  # /login, /logout, /app and its assets
    errors.install(app)
    return app
