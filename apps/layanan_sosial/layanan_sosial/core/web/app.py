"""ASGI application factory. One app serves every site of the bench; each request picks
its site from the Host header (see site_resolver.py), else the default site.

The REST API (core/api) is a set of plain Starlette routes mounted as they are, so its hot
path carries no FastAPI dependency machinery; pages use FastAPI dependencies
(dependencies.py) for the per-request Context.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.responses import JSONResponse
from starlette.routing import Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..api.routes import api_routes
from ..desk.routes import install as install_desk
from . import errors, pages

log = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    import anyio.to_thread

    # DB work runs in worker threads; more of them than pooled connections only adds GIL
    # contention (measured: fewer threads, same or better throughput and tail latency)
    anyio.to_thread.current_default_thread_limiter().total_tokens = int(
        os.environ.get("LAYANAN_THREADS", "12")
    )
    if os.environ.get("LAYANAN_GC_TUNE", "1") != "0":
        import gc

        gc.freeze()  # objects from start-up (modules, meta) are never collected: skip them
        gc.set_threshold(50_000, 20, 100)
    stop = None
    if os.environ.get("LAYANAN_INPROCESS_SCHEDULER") == "1":
        from ..jobs.scheduler import start_inprocess_scheduler
        from ..site import sites_dir

        stop = start_inprocess_scheduler(sites_dir())
    yield
    if stop is not None:
        stop.stop()


class LayananApp(FastAPI):
    """FastAPI for pages and the desk; `/api/…` requests go straight to the REST routes.

    The REST handlers answer every error as Frappe-shaped JSON themselves (core/api/runner),
    so FastAPI's middleware stack (error and exception middleware, body limit, exit
    stacks) and the page routes would only add cost to the hot path — about a third of a
    small API call measured in-process (bench/profile_api.py)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.api_router = Router(routes=api_routes())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/api/"):
            scope["app"] = self
            await _json_500_on_crash(self.api_router, scope, receive, send)
            return
        await super().__call__(scope, receive, send)


async def _json_500_on_crash(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Last resort for the direct API path: an exception escaping a route (the handlers
    catch their own) still answers JSON, never the server's plain-text page."""
    started = False

    async def tracking_send(message: Message) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, receive, tracking_send)
    except Exception:
        log.exception("unhandled error on %s", scope.get("path"))
        if started:
            raise
        response = JSONResponse(
            {"exc_type": "InternalServerError", "message": "Terjadi kesalahan pada server"},
            status_code=500,
        )
        await response(scope, receive, send)


def create_app() -> FastAPI:
    app = LayananApp(
        title="Layanan Sosial Terpadu",
        lifespan=lifespan,
        # the API publishes its own, meta-driven /api/openapi.json and /api/docs
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    # also mounted on FastAPI's router (non-/api paths such as /files/… and the legacy
    # POST / live there); /api/… itself is dispatched directly by LayananApp
    app.router.routes.extend(api_routes())
    app.include_router(pages.router)
    install_desk(app)  # /login, /logout, /app and its assets
    errors.install(app)
    return app
