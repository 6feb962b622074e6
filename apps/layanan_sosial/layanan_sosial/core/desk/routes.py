"""Desk URLs: /login, /logout, /app, /app/<slug> (list, export, bulk, saved filters),
/app/<slug>/new and /app/<slug>/<name> (form, comments); the password pages are mounted
from password.py. Saving, submitting and workflow actions from the form go to the REST
API (one round trip, its `_field_errors`)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from ..api.client_ip import client_ip
from ..auth.login import INVALID, authenticate, log_activity
from ..auth.sessions import create_session, delete_session
from ..document.html import safe_html
from ..exceptions import (
    AuthenticationError,
    DoesNotExistError,
    LayananError,
    PermissionError_,
    TooManyRequestsError,
)
from ..workflow.api import bulk_workflow_approval
from . import assets, password, reports, reportview, search, workspace
from .doctypes import doctype_for_slug, readable_doctypes, slug
from .formatting import format_value
from .formview import build_form, timeline
from .i18n import translator
from .listview import LIST_OPERATORS, build_list
from .session import Desk, DeskRequest, LoginRequired, login_url, safe_next

router = APIRouter()
templates = Environment(
    loader=PackageLoader("layanan_sosial.core.desk", "templates"),
    autoescape=select_autoescape(default=True),
)
templates.globals["slug"] = slug
templates.globals["vendor_url"] = assets.vendor_url
templates.filters["fmt"] = lambda value, fieldtype="Data": format_value(fieldtype, value)
templates.filters["safe_html"] = safe_html  # the one way stored HTML is shown unescaped
templates.filters["tojson_attr"] = lambda value: json.dumps(value, default=str, ensure_ascii=False)


def render(desk: Desk | None, name: str, status: int = 200, lang: str = "id", **values: Any):
    lang = desk.lang if desk else lang
    page = templates.get_template(name).render(
        _=translator(lang),
        lang=lang,
        user=None if desk is None or desk.is_guest else desk.user,
        csrf=desk.csrf() if desk is not None and not desk.is_guest else "",
        **values,
    )
    return HTMLResponse(page, status_code=status)


def error_page(desk: Desk, exc: LayananError) -> HTMLResponse:
    key = "not_found" if isinstance(exc, DoesNotExistError) else "not_permitted"
    status = exc.http_status if isinstance(exc, DoesNotExistError | PermissionError_) else 417
    return render(desk, "error.html", status, title=desk._(key), message=exc.message)


# -- login / logout -------------------------------------------------------------------


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, desk: DeskRequest) -> Response:
    next_url = safe_next(request.query_params.get("next"))
    if not desk.is_guest:
        return RedirectResponse(next_url, status_code=303)
    updated = request.query_params.get("password_updated") == "1"
    notice = desk._("password_updated") if updated else None
    return render(desk, "login.html", next_url=next_url, error=None, usr="", notice=notice)


@router.post("/login", response_class=HTMLResponse)
def login_submit(request: Request, desk: DeskRequest) -> Response:
    """Password login with the auth layer's rate limit and lockout; a failure re-renders
    the page (and commits the failure counters, as /api/method/login does)."""
    form = desk.form
    usr, pwd = str(form.get("usr") or "").strip(), str(form.get("pwd") or "")
    next_url = safe_next(form.get("next"))
    if not usr or not pwd:
        return render(
            desk, "login.html", 401, next_url=next_url, error=desk._("login_missing"), usr=usr
        )
    ctx = desk.ctx
    ip = client_ip(request)
    try:
        user = authenticate(ctx, usr, pwd, ip=ip)
    except (AuthenticationError, TooManyRequestsError) as exc:
        message = desk._("login_invalid") if exc.message == INVALID else exc.message
        return render(
            desk, "login.html", exc.http_status, next_url=next_url, error=message, usr=usr
        )
    session = create_session(ctx, user, ip=ip, device="desktop")
    with ctx.ignore_permissions():
        full_name = ctx.get_value("User", user, "full_name") or user
        ctx.get_doc("User", user).db_set("last_login", ctx.now(), update_modified=False)
    response = RedirectResponse(next_url, status_code=303)
    secure = bool(ctx.site.config.get("cookies_secure"))
    response.set_cookie("sid", session.sid, httponly=True, samesite="lax", secure=secure, path="/")
    for name, value in (("system_user", "yes"), ("full_name", full_name), ("user_id", user)):
        response.set_cookie(name, value, samesite="lax", secure=secure, path="/")
    return response


@router.post("/logout")
def logout(request: Request, desk: DeskRequest) -> Response:
    if desk.auth.session is not None:
        delete_session(desk.ctx, desk.auth.session.sid)
        ip = client_ip(request)
        log_activity(desk.ctx, desk.user, "Logout", "Success", ip)
    response = RedirectResponse("/login?logged_out=1", status_code=303)
    for name in ("sid", "system_user", "full_name", "user_id"):
        response.delete_cookie(name, path="/")
    return response


# -- home -------------------------------------------------------------------------------


@router.get("/app", response_class=HTMLResponse)
def home(request: Request, desk: DeskRequest) -> Response:
    desk.require_user(request)
    workspaces = workspace.visible_workspaces(desk.ctx)
    return render(desk, "home.html", modules=readable_doctypes(desk.ctx), workspaces=workspaces)


# -- list -------------------------------------------------------------------------------


def _saved_filters(desk: Desk, doctype: str) -> list[dict[str, Any]]:
    with desk.ctx.ignore_permissions():
        return desk.ctx.get_all(
            "Desk Saved Filter",
            filters={"ref_doctype": doctype, "owner": desk.user},
            fields=["name", "filter_name", "query"],
            order_by="filter_name asc",
        )


def _list_response(request: Request, desk: Desk, meta: Any, message: str = "") -> Response:
    page = build_list(desk.ctx, meta, request.query_params)
    partial = request.headers.get("hx-request") == "true" and request.headers.get("hx-target") in (
        "list-results",
    )
    template = "list_results.html" if partial else "list.html"
    return render(
        desk,
        template,
        page=page,
        doctype=meta.name,
        route=f"/app/{slug(meta.name)}",
        saved=[] if partial else _saved_filters(desk, meta.name),
        message=message,
        request_params=request.query_params,
        operators=LIST_OPERATORS,
    )


@router.get("/app/{doctype_slug}", response_class=HTMLResponse)
def list_view(request: Request, doctype_slug: str, desk: DeskRequest) -> Response:
    desk.require_user(request)
    try:
        try:
            meta = doctype_for_slug(desk.ctx, doctype_slug)
        except DoesNotExistError:  # no DocType of that slug: a Workspace's page, if any
            if (name := workspace.find_workspace(desk.ctx, doctype_slug)) is None:
                raise
            return workspace.workspace_response(request, desk, name)
        desk.ctx.check_permission(meta.name, "read")
        if meta.issingle:  # one record: its form is the page
            return RedirectResponse(f"/app/{slug(meta.name)}/{slug(meta.name)}", status_code=303)
        return _list_response(request, desk, meta)
    except LayananError as exc:
        return error_page(desk, exc)


@router.post("/app/{doctype_slug}/bulk", response_class=HTMLResponse)
def bulk(request: Request, doctype_slug: str, desk: DeskRequest) -> Response:
    """Delete or run a workflow action on the selected rows; each row on its own (a failing
    one is reported, the others still happen); answers with the refreshed table."""
    desk.require_user(request)
    ctx = desk.ctx
    try:
        meta = doctype_for_slug(ctx, doctype_slug)
    except LayananError as exc:
        return error_page(desk, exc)
    names = desk.form.get("names") or []
    names = names if isinstance(names, list) else [names]
    action = str(desk.form.get("action") or "")
    failed: list[str] = []
    done = 0
    if action == "__delete":
        for name in names:
            try:
                with ctx.savepoint():
                    ctx.delete_doc(meta.name, name)
                done += 1
            except LayananError as exc:
                failed.append(f"{name}: {exc.message}")
    elif action:
        result = bulk_workflow_approval(ctx, names, meta.name, action)
        done = len(result["success"])
        failed = [f"{f['name']}: {f['error']}" for f in result["failed"]]
    message = desk._("deleted", count=done) if action == "__delete" else f"{action}: {done}"
    if failed:
        message += " — " + "; ".join(failed)
    return _list_response(request, desk, meta, message)


@router.post("/app/{doctype_slug}/saved-filters")
def save_filter(request: Request, doctype_slug: str, desk: DeskRequest) -> Response:
    """Saved filters live in `Desk Saved Filter` rows owned by the user."""
    desk.require_user(request)
    ctx = desk.ctx
    meta = doctype_for_slug(ctx, doctype_slug)
    ctx.check_permission(meta.name, "read")
    name = str(desk.form.get("filter_name") or "").strip()[:140]
    query = str(desk.form.get("query") or "")[:2000]
    if name:
        with ctx.ignore_permissions():
            existing = ctx.get_all(
                "Desk Saved Filter",
                filters={"ref_doctype": meta.name, "owner": desk.user, "filter_name": name},
                pluck="name",
            )
            for old in existing:
                ctx.delete_doc("Desk Saved Filter", old)
            doc = ctx.new_doc(
                "Desk Saved Filter", filter_name=name, ref_doctype=meta.name, query=query
            )
            doc.owner = desk.user
            doc.insert()
    return RedirectResponse(f"/app/{slug(meta.name)}?{query}", status_code=303)


# -- form -------------------------------------------------------------------------------


@router.get("/app/{doctype_slug}/new", response_class=HTMLResponse)
def new_form(request: Request, doctype_slug: str, desk: DeskRequest) -> Response:
    desk.require_user(request)
    ctx = desk.ctx
    try:
        meta = doctype_for_slug(ctx, doctype_slug)
        ctx.check_permission(meta.name, "create")
        amend_from = request.query_params.get("amend_from")
        if amend_from:
            doc = ctx.get_doc(meta.name, amend_from).amend()
        else:
            values = {
                k: v
                for k, v in request.query_params.items()
                if meta.has_field(k) and not meta.get_field(k).is_table
            }
            doc = ctx.new_doc(meta.name, values)
        return render(desk, "form.html", form=build_form(ctx, meta, doc, desk._("home")))
    except LayananError as exc:
        return error_page(desk, exc)


@router.get("/app/{doctype_slug}/{name}", response_class=HTMLResponse)
def form_view(request: Request, doctype_slug: str, name: str, desk: DeskRequest) -> Response:
    desk.require_user(request)
    ctx = desk.ctx
    try:
        meta = doctype_for_slug(ctx, doctype_slug)
        doc = ctx.get_doc(meta.name, meta.name if meta.issingle else name)
        return render(desk, "form.html", form=build_form(ctx, meta, doc, desk._("home")))
    except LayananError as exc:
        return error_page(desk, exc)


@router.post("/app/{doctype_slug}/{name}/comment", response_class=HTMLResponse)
def add_comment(request: Request, doctype_slug: str, name: str, desk: DeskRequest) -> Response:
    """A Comment on a document the user may read; answers with the refreshed timeline."""
    desk.require_user(request)
    ctx = desk.ctx
    meta = doctype_for_slug(ctx, doctype_slug)
    doc = ctx.get_doc(meta.name, name)
    text = str(desk.form.get("content") or "").strip()
    if text:
        with ctx.ignore_permissions():
            ctx.new_doc(
                "Comment",
                comment_type="Comment",
                reference_doctype=meta.name,
                reference_name=str(doc.name),
                reference_owner=doc.get("owner"),
                content=text[:10000],
                comment_email=desk.user,
                comment_by=desk.user,
            ).insert()
    return render(desk, "timeline.html", items=timeline(ctx, meta, doc))


def install(app: FastAPI) -> None:
    """Mount the desk on the web app: its routes, static files and the login redirect."""

    async def to_login(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        if request.headers.get("hx-request") == "true":
            return Response(status_code=401, headers={"HX-Redirect": login_url(exc.next_url)})
        return RedirectResponse(login_url(exc.next_url), status_code=303)

    app.include_router(reports.router)  # before /app/<slug>/<name>
    for extra in (search.router, reportview.router, workspace.router):  # likewise
        app.include_router(extra)
    app.include_router(password.router)  # /forgot-password, /update-password
    app.include_router(router)
    assets.mount(app)
    app.add_exception_handler(LoginRequired, to_login)
