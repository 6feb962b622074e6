"""Run one API request: site → args → (worker thread) context as the authenticated user →
handler → commit or roll back → envelope. Errors become Frappe-shaped JSON, never HTML."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from ..context import Context
from ..exceptions import LayananError
from . import responses
from .client_ip import client_ip
from .request_args import read_args
from .request_context import RequestAuth, RequestInfo, authenticate, resolve_site

SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Call:
    """What a handler gets: the context (as the user), the parsed args and the auth facts."""

    ctx: Context
    args: dict[str, Any]
    auth: RequestAuth
    info: RequestInfo
    path: dict[str, str]
    v2: bool = False
    cookies: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    delete_cookies: list[str] = field(default_factory=list)


Handler = Callable[[Call], Response]


def request_info(request: Request, args: dict[str, Any] | None = None) -> RequestInfo:
    return RequestInfo(
        method=request.method,
        host=request.headers.get("host", ""),
        authorization=request.headers.get("authorization"),
        sid=request.cookies.get("sid") or (args or {}).get("sid"),
        csrf_header=request.headers.get("x-frappe-csrf-token") or (args or {}).get("csrf_token"),
        client_ip=client_ip(request),
        site_header=request.headers.get("x-frappe-site-name"),
        args=args or {},
    )


def _run(
    info: RequestInfo, path: dict[str, str], handler: Handler, v2: bool = False
) -> tuple[Response, Call]:
    site = resolve_site(info)
    with site.begin(user="Guest", write=info.method not in SAFE) as ctx:
        auth = authenticate(ctx, info)
        ctx.set_user(auth.user)
        call = Call(ctx, dict(info.args), auth, info, path, v2)
        response = handler(call)
    return response, call


async def run(
    request: Request, handler: Handler, *, v2: bool = False, inline: bool = False
) -> Response:
    """`inline` handlers (the short, bounded document reads and writes of /api/resource)
    run on the event loop's own thread: handing each to a worker thread cost more CPU than
    the handler itself (measured ≈ 0.3 ms of 1.1 ms per request, bench/profile_api.py).
    Anything that may take long — methods (password hashing, reports, imports) — keeps the
    thread pool, so it never stalls the other requests of the worker."""
    try:
        args = await read_args(request)
        info = request_info(request, args)
        path = dict(request.path_params)
        if inline and "run_method" not in args:  # a document method may take long
            response, call = _run(info, path, handler, v2)
        else:
            response, call = await run_in_threadpool(_run, info, path, handler, v2)
    except LayananError as exc:
        return responses.error(exc, v2=v2)
    except Exception as exc:  # noqa: BLE001 - turned into a JSON 500 and logged
        return responses.error(exc, v2=v2)
    for name, value, options in call.cookies:
        response.set_cookie(name, value, **options)
    for name in call.delete_cookies:
        response.delete_cookie(name, path="/")
    if call.auth.clear_cookie:
        response.delete_cookie("sid", path="/")
    return response
