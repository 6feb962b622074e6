"""Error answers of the web layer: JSON `{"exc_type", "message"}` for engine errors (an
unknown site is a 404), and a small Indonesian page for unknown non-API paths."""

from __future__ import annotations

import html

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from ..exceptions import LayananError


async def engine_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LayananError)
    body = {"exc_type": exc.type_name, "message": exc.message or exc.type_name}
    return JSONResponse(body, status_code=exc.http_status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404 and "text/html" in request.headers.get("accept", ""):
        path = html.escape(request.url.path)
        page = (
            '<!doctype html><html lang="id"><meta charset="utf-8"><title>Tidak ditemukan</title>'
            f"<p>Halaman <code>{path}</code> tidak ditemukan. "
            '<a href="/">Kembali ke beranda</a></p></html>'
        )
        return HTMLResponse(page, status_code=404)
    return JSONResponse(
        {"exc_type": "HTTPException", "message": exc.detail},
        status_code=exc.status_code,
        headers=exc.headers,
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(LayananError, engine_error)
    app.add_exception_handler(HTTPException, http_error)
