"""login, logout and frappe.auth.get_logged_user — they need the HTTP response (cookies),
so they are handlers rather than plain whitelisted functions. Likewise Frappe's
`reset_password` and `update_password` (`PASSWORD_METHODS`): they need the client's
address (rate limits, Activity Log) and the caller's session (kept when the other
sessions end), and they answer refusals without raising so the counters and log rows
commit."""

from __future__ import annotations

from starlette.responses import Response

from ..auth.login import authenticate, is_system_user, log_activity
from ..auth.reset import (
    LinkExpiredError,
    change_password,
    home_page,
    request_reset,
    reset_with_key,
)
from ..auth.sessions import create_session, delete_session
from ..exceptions import (
    AuthenticationError,
    LayananError,
    PermissionError_,
    TooManyRequestsError,
    ValidationError,
)
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


def _failed(call: Call, exc: LayananError) -> Response:
    """The error answer of a failed login (or password method), returned rather than
    raised so the request's transaction commits the failure counters and the Activity Log
    row (Frappe commits before raising, else lockout could never trigger); `message`
    carries the reason, as in Frappe's body, and is what frappe-js-sdk shows its caller."""
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


# -- forgotten password and password change (Frappe's User methods) ----------------------


def _answer(call: Call, value: str) -> Response:
    return responses.data(value) if call.v2 else responses.message(value)


def _post_only(call: Call, path: str) -> None:
    if call.info.method != "POST":  # a password never rides in a URL
        raise PermissionError_(f"Method {path} tidak menerima {call.info.method}")


def reset_password(call: Call) -> Response:
    """`user` (email) → the same answer for every address; 429 past the rate limits."""
    _post_only(call, "reset_password")
    address = call.args.get("user")
    if not isinstance(address, str) or not address.strip():
        raise ValidationError("Alamat email (user) wajib diisi", field="user")
    try:
        answer = request_reset(call.ctx, address, ip=call.info.client_ip)
    except TooManyRequestsError as exc:
        return _failed(call, exc)
    return _answer(call, answer)


def update_password(call: Call) -> Response:
    """`new_password` with `key` (from the email; Guest) or `old_password` (signed in) →
    the user's home page path, as in Frappe. 410 for an unusable key, 401 for a wrong old
    password, 417 for a weak new one. Frappe's `logout_all_sessions` is accepted and
    implied: the other sessions always end."""
    _post_only(call, "update_password")
    args, ip = call.args, call.info.client_ip
    new_password = args.get("new_password")
    try:
        if args.get("key"):
            user = reset_with_key(call.ctx, args["key"], new_password, ip=ip)
        elif args.get("old_password") is not None:
            session = call.auth.session
            user = change_password(
                call.ctx,
                args["old_password"],
                new_password,
                ip=ip,
                keep_sid=session.sid if session is not None else None,
            )
        else:
            raise ValidationError("Isi key (dari email) atau old_password", field="key")
    except (AuthenticationError, TooManyRequestsError, LinkExpiredError) as exc:
        return _failed(call, exc)
    return _answer(call, home_page(call.ctx, user))


PASSWORD_METHODS = {
    "frappe.core.doctype.user.user.reset_password": reset_password,
    "frappe.core.doctype.user.user.update_password": update_password,
}
