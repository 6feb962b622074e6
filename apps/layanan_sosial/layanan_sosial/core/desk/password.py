"""Desk pages for passwords: `/forgot-password` (email → the same notice for every
address), `/update-password?key=…` (the emailed link: new password twice, then /login with
a notice) and `/update-password` for a signed-in user (current + new password). Plain
forms that work without JavaScript; the work is done by `core.auth.reset`, as for the REST
methods."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..api.client_ip import client_ip
from ..auth.reset import LinkExpiredError, change_password, request_reset, reset_with_key
from ..auth.reset_keys import check_key
from ..exceptions import AuthenticationError, TooManyRequestsError, ValidationError
from .session import Desk, DeskRequest

router = APIRouter()


def _render(desk: Desk, name: str, status: int = 200, **values: Any) -> HTMLResponse:
    from .routes import render

    response = render(desk, name, status, **values)
    # the page's address may hold a reset key: keep it out of caches and Referer headers
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _ip(request: Request) -> str | None:
    return client_ip(request)


# -- forgotten password ------------------------------------------------------------------


@router.get("/forgot-password", response_class=HTMLResponse)
def forgot_page(desk: DeskRequest) -> Response:
    return _render(desk, "forgot_password.html", email="", notice=None, error=None)


@router.post("/forgot-password", response_class=HTMLResponse)
def forgot_submit(request: Request, desk: DeskRequest) -> Response:
    email = str(desk.form.get("email") or "").strip()
    if not email:
        return _render(
            desk, "forgot_password.html", 417, email="", notice=None, error=desk._("forgot_missing")
        )
    try:
        request_reset(desk.ctx, email, ip=_ip(request))
    except TooManyRequestsError:  # the page commits the counters and the log row
        return _render(
            desk, "forgot_password.html", 429, email=email, notice=None, error=desk._("too_many")
        )
    return _render(
        desk, "forgot_password.html", email=email, notice=desk._("forgot_sent"), error=None
    )


# -- new password ------------------------------------------------------------------------


def _invalid(desk: Desk, reason: str) -> HTMLResponse:
    """The page for a link that cannot be used: why, and the way to a new one."""
    message = desk._("link_expired" if reason == "expired" else "link_invalid")
    return _render(desk, "update_password.html", 410, mode="invalid", error=message)


def _form(
    desk: Desk,
    status: int = 200,
    *,
    key: str = "",
    account: str = "",
    errors: dict[str, str] | None = None,
    error: str | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    return _render(
        desk,
        "update_password.html",
        status,
        mode="key" if key else "change",
        key=key,
        account=account or desk.user,
        errors=errors or {},
        error=error,
        notice=notice,
    )


@router.get("/update-password", response_class=HTMLResponse)
def update_page(request: Request, desk: DeskRequest) -> Response:
    key = request.query_params.get("key")
    if key:
        found = check_key(desk.ctx, key)  # the form only for a usable key; not spent here
        if found.problem is not None or found.user is None:
            return _invalid(desk, found.problem or "invalid")
        return _form(desk, key=key, account=found.user)
    desk.require_user(request)
    changed = request.query_params.get("changed") == "1"
    return _form(desk, notice=desk._("password_changed") if changed else None)


@router.post("/update-password", response_class=HTMLResponse)
def update_submit(request: Request, desk: DeskRequest) -> Response:
    form = desk.form
    key = str(form.get("key") or "")
    account = ""
    if key:
        found = check_key(desk.ctx, key)
        if found.problem is not None or found.user is None:
            return _invalid(desk, found.problem or "invalid")
        account = found.user
    else:
        desk.require_user(request)
    new_password = str(form.get("new_password") or "")
    errors: dict[str, str] = {}
    if not new_password:
        errors["new_password"] = desk._("password_required")
    elif new_password != str(form.get("confirm_password") or ""):
        errors["confirm_password"] = desk._("password_mismatch")
    if errors:
        return _form(desk, 417, key=key, account=account, errors=errors)
    ctx, ip = desk.ctx, _ip(request)
    try:
        if key:
            reset_with_key(ctx, key, new_password, ip=ip)
            return RedirectResponse("/login?password_updated=1", status_code=303)
        session = desk.auth.session
        change_password(
            ctx,
            str(form.get("old_password") or ""),
            new_password,
            ip=ip,
            keep_sid=session.sid if session is not None else None,
        )
        return RedirectResponse("/update-password?changed=1", status_code=303)
    except LinkExpiredError as exc:
        return _invalid(desk, exc.reason)
    except AuthenticationError:  # the failure counter and log row commit with the page
        return _form(desk, 401, errors={"old_password": desk._("old_password_wrong")})
    except TooManyRequestsError as exc:
        return _form(desk, 429, key=key, account=account, error=exc.message)
    except ValidationError as exc:  # the policy: raised before anything was written
        ctx.rollback()
        field = exc.field if exc.field in ("old_password", "new_password") else "new_password"
        return _form(desk, 417, key=key, account=account, errors={field: exc.message})
