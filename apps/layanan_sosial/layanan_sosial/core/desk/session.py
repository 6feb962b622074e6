"""Who is asking the desk: the same authentication as the REST API (sid cookie, CSRF on
unsafe methods — from the `X-Frappe-CSRF-Token` header or a `csrf_token` form field), the
user's language and the session's CSRF token for the page to send back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request

from ..api.request_context import RequestAuth, authenticate
from ..api.runner import request_info
from ..auth.sessions import csrf_token
from ..context import Context
from ..site import Site
from ..users import GUEST
from ..web.site_resolver import request_site
from .i18n import language_of, translator

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class LoginRequired(Exception):
    """Raised by pages that need a user; answered with a redirect to /login?next=…"""

    def __init__(self, next_url: str):
        super().__init__(next_url)
        self.next_url = next_url


@dataclass
class Desk:
    """Per-request state of a desk page (never stored beyond the request)."""

    ctx: Context
    auth: RequestAuth
    lang: str
    form: dict[str, Any]

    @property
    def user(self) -> str:
        return self.ctx.user

    @property
    def is_guest(self) -> bool:
        return self.ctx.user == GUEST

    def csrf(self) -> str:
        return csrf_token(self.ctx, self.auth.session) if self.auth.session else ""

    def _(self, key: str, **values: Any) -> str:
        return translator(self.lang)(key, **values)

    def require_user(self, request: Request) -> None:
        if self.is_guest:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)


async def form_args(request: Request) -> dict[str, Any]:
    """Fields of an urlencoded/multipart POST (the CSRF token may ride in one)."""
    kind = request.headers.get("content-type", "")
    if request.method in SAFE_METHODS or not kind.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        return {}
    form = await request.form()
    out: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key in out:
            existing = out[key]
            out[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            out[key] = value
    return out


def user_language(ctx: Context) -> str:
    if ctx.user == GUEST:
        return language_of(None)
    with ctx.ignore_permissions():
        return language_of(ctx.get_value("User", ctx.user, "language"))


def desk_request(
    request: Request,
    site: Site = Depends(request_site),
    form: dict[str, Any] = Depends(form_args),
) -> Iterator[Desk]:
    """One transaction per page, as the request's user (plain generator: runs in a thread)."""
    with site.begin(user=GUEST, write=request.method not in SAFE_METHODS) as ctx:
        info = request_info(request, form)
        if request.url.path == "/login" and request.method == "POST":
            # a login starts a new session: an old cookie (other tab) must not demand CSRF
            info = replace(info, sid=None)
        auth = authenticate(ctx, info)
        ctx.set_user(auth.user)
        yield Desk(ctx, auth, user_language(ctx), form)


DeskRequest = Annotated[Desk, Depends(desk_request, scope="function")]


def login_url(next_url: str) -> str:
    return "/login?next=" + quote(next_url, safe="/")


def safe_next(value: Any) -> str:
    """Only local desk paths are followed after login (no open redirects)."""
    text = str(value or "")
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return "/app"
    return text
