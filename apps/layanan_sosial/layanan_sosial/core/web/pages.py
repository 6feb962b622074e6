"""Pages outside the REST API: for now the landing page (the desk at /app comes later)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from ..users import GUEST
from .dependencies import RequestContext

router = APIRouter()
# templates are code, not request state: one loader per process
templates = Environment(
    loader=PackageLoader("layanan_sosial.core.web", "templates"),
    autoescape=select_autoescape(default=True),
)


@router.get("/", response_class=HTMLResponse)
def landing(request: Request, ctx: RequestContext) -> HTMLResponse:
    user = None if ctx.user == GUEST else ctx.user
    page = templates.get_template("landing.html").render(site=ctx.site.name, user=user)
    return HTMLResponse(page)
