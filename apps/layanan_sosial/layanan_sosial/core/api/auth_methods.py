"""login, logout and frappe.auth.get_logged_user — they need the HTTP response (cookies),
so they are handlers rather than plain whitelisted functions."""

from __future__ import annotations

from starlette.responses import Response

from ..auth.login import authenticate, is_system_user, log_activity
from ..auth.sessions import create_session, delete_session
from ..exceptions import AuthenticationError, PermissionError_, TooManyRequestsError
from . import responses
from .runner import Call


def _cookie_options(call: Call, http_only: bool = True) -> dict:
    secure = bool(call.ctx.site.config.get("cookies_secure"))
    return {"httponly": http_only, "samesite": "lax", "secure": secure, "path": "/"}


def login(call: Call) -> Response:
    usr = call.args.get("usr") or call.args.get("username")
    pwd = call.args.get("pwd") or call.args.get("password")
    if not usr or not pwd:
        raise AuthenticationError("Invalid login credentials")
    ctx = call.ctx
    try:
        user = authenticate(ctx, str(usr), str(pwd), ip=call.info.client_ip)
    except (AuthenticationError, TooManyRequestsError) as exc:
        return _failed(call, exc)
    session = create_session(
        ctx, user, ip=call.info.client_ip, device=str(call.args.get("device") or "desktop")
    )
    with ctx.ignore_permissions():
        full_name = ctx.get_value("User", user, "full_name") or user
        ctx.get_doc("User", user).db_set("last_login", ctx.now(), update_modified=False)
    system = is_system_user(ctx, user)
    call.cookies.append(("sid", session.sid, _cookie_options(call)))
    for name, value in (
        ("system_user", "yes" if system else "no"),
        ("full_name", full_name),
        ("user_id", user),
    ):
        call.cookies.append((name, value, _cookie_options(call, http_only=False)))
    return responses.JSONResponse(
        {
            "message": "Logged In" if system else "No App",
            "home_page": "/app" if system else "/me",
            "full_name": full_name,
        }
    )


def _failed(call: Call, exc: AuthenticationError | TooManyRequestsError) -> Response:
    """The error answer of a failed login, returned rather than raised so the request's
    transaction commits the failure counters and the Activity Log row (Frappe commits
    before raising, else lockout could never trigger); `message` carries the reason, as
    in Frappe's body, and is what frappe-js-sdk shows its caller."""
    return responses.error(exc, v2=call.v2, message=exc.message)


def logout(call: Call) -> Response:
    if call.auth.session is not None:
        delete_session(call.ctx, call.auth.session.sid)
        log_activity(call.ctx, call.auth.user, "Logout", "Success", call.info.client_ip)
    call.delete_cookies.extend(["sid", "system_user", "full_name", "user_id"])
    return responses.JSONResponse({})


def get_logged_user(call: Call) -> Response:
    if call.auth.user == "Guest":
        raise PermissionError_("Not permitted: belum masuk")
    return responses.message(call.auth.user)
