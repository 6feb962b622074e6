"""Pages outside the REST API: for now the landing page (the desk at /app comes later)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from ..context import Context
from ..users import GUEST
from .dependencies import request_context

router = APIRouter()
# templates are code, not request state: one loader per process
templates = Environment(
    loader=PackageLoader("layanan_sosial.core.web", "templates"),
    autoescape=select_autoescape(default=True),
)


@router.get("/", response_class=HTMLResponse)
def landing(request: Request, ctx: Context = Depends(request_context)) -> HTMLResponse:
    user = None if ctx.user == GUEST else ctx.user
    page = templates.get_template("landing.html").render(site=ctx.site.name, user=user)
    return HTMLResponse(page)
