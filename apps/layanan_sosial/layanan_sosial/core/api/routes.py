"""The REST routes (v1 under /api and /api/v1, v2 under /api/v2), as Starlette routes any
app can mount. Every /api path answers JSON, including unknown ones (404)."""

from __future__ import annotations

import os
from functools import partial

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ..exceptions import DoesNotExistError
from ..report import api as _report_api  # noqa: F401 - registers frappe.desk.query_report.*
from ..workflow import api as _workflow_api  # noqa: F401 - registers frappe.model.workflow.*
from . import auth_methods, files, openapi, responses
from . import client as _client  # noqa: F401 - registers frappe.client.* methods
from . import method_handlers as methods
from . import resource_handlers as resources
from . import search as _search  # noqa: F401 - registers frappe.desk.search.*
from .runner import run

# Frappe's password methods answer like login (client address, session, committed
# refusals), so they join its handlers for every method path: v1, v2 and the legacy
# `cmd=` form that frappe-js-sdk's forgetPassword posts
methods.SPECIAL.update(auth_methods.PASSWORD_METHODS)

ALL = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def _endpoint(handler, *, v2: bool = False):  # noqa: ANN001, ANN202 - tiny adapter
    async def endpoint(request: Request) -> Response:
        return await run(request, handler, v2=v2)

    return endpoint


def _resource(handler, *, v2: bool = False):  # noqa: ANN001, ANN202 - tiny adapter
    """A document read/write endpoint: runs inline on the event loop (see runner.run)
    unless LAYANAN_API_INLINE=0 sends everything through the thread pool."""
    inline = os.environ.get("LAYANAN_API_INLINE", "1") != "0"

    async def endpoint(request: Request) -> Response:
        return await run(request, handler, v2=v2, inline=inline)

    return endpoint


async def not_found(request: Request) -> Response:
    return responses.error(
        DoesNotExistError(f"Rute API {request.url.path} tidak ada"),
        v2=request.url.path.startswith("/api/v2"),
    )


def api_routes() -> list[BaseRoute]:
    v1: list[BaseRoute] = []
    for prefix in ("/api", "/api/v1"):
        v1 += [
            Route(prefix + "/method/{path:path}", _endpoint(methods.method_v1), methods=ALL),
            Route(prefix + "/resource/{doctype}", _resource(resources.list_v1), methods=["GET"]),
            Route(prefix + "/resource/{doctype}", _resource(resources.create), methods=["POST"]),
            Route(
                prefix + "/resource/{doctype}/{name:path}",
                _resource(resources.read),
                methods=["GET"],
            ),
            Route(
                prefix + "/resource/{doctype}/{name:path}",
                _resource(resources.update),
                methods=["PUT", "POST"],
            ),
            Route(
                prefix + "/resource/{doctype}/{name:path}",
                _resource(resources.delete),
                methods=["DELETE"],
            ),
        ]
    v2 = [
        Route("/api/v2/method/{path:path}", _endpoint(methods.method_v2, v2=True), methods=ALL),
        Route("/api/v2/document/{doctype}", _resource(resources.list_v2, v2=True), methods=["GET"]),
        Route(
            "/api/v2/document/{doctype}",
            _resource(partial(resources.create, v2=True), v2=True),
            methods=["POST"],
        ),
        Route(
            "/api/v2/document/{doctype}/{name}/method/{method}",
            _endpoint(resources.doc_method_v2, v2=True),
            methods=["GET", "POST"],
        ),
        Route(
            "/api/v2/document/{doctype}/{name}",
            _resource(partial(resources.read, v2=True), v2=True),
            methods=["GET"],
        ),
        Route(
            "/api/v2/document/{doctype}/{name}",
            _resource(partial(resources.update, v2=True), v2=True),
            methods=["PUT", "PATCH"],
        ),
        Route(
            "/api/v2/document/{doctype}/{name}",
            _resource(resources.delete, v2=True),
            methods=["DELETE"],
        ),
        Route(
            "/api/v2/doctype/{doctype}/meta", _resource(resources.meta_v2, v2=True), methods=["GET"]
        ),
        Route(
            "/api/v2/doctype/{doctype}/count",
            _resource(resources.count_v2, v2=True),
            methods=["GET"],
        ),
    ]
    legacy = [Route("/", _endpoint(methods.legacy_cmd), methods=["POST"])]
    docs = [
        Route("/api/openapi.json", openapi.openapi_json, methods=["GET"]),
        Route("/api/docs", openapi.docs_page, methods=["GET"]),
    ]
    downloads = [
        Route("/files/{name}", files.public_file, methods=["GET"]),
        Route("/private/files/{name}", files.private_file, methods=["GET"]),
    ]
    fallback = [Route("/api/{rest:path}", not_found, methods=ALL)]
    return docs + v1 + v2 + legacy + downloads + fallback
