"""Which site a web request is for.

A site folder named like the `Host` header (port stripped; or `X-Frappe-Site-Name`) wins,
else the site the server was started for (`layanan --site NAME serve`), else the default
site (sites/currentsite.txt); else SiteNotFoundError (404). The rules live in
`api.request_context.resolve_site`, shared with the REST API so both always agree.
"""

from __future__ import annotations

from fastapi import Request

from ..api.request_context import RequestInfo, resolve_site
from ..site import Site


def site_for(host: str, site_header: str | None = None) -> Site:
    """The site for a Host header value (and an optional X-Frappe-Site-Name)."""
    info = RequestInfo(
        method="GET",
        host=host,
        authorization=None,
        sid=None,
        csrf_header=None,
        client_ip=None,
        site_header=site_header,
    )
    return resolve_site(info)


def request_site(request: Request) -> Site:
    """FastAPI dependency: the request's site (raises SiteNotFoundError → 404 JSON)."""
    return site_for(request.headers.get("host", ""), request.headers.get("x-frappe-site-name"))
