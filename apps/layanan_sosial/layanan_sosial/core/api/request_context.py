"""Who is asking: site from the Host header, user from an API key, Basic credentials or the
`sid` session cookie (with its CSRF token for unsafe methods), else Guest."""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..auth.apikeys import user_for_keys
from ..auth.sessions import Session, get_session
from ..exceptions import AuthenticationError, CSRFTokenError, SiteNotFoundError
from ..site import Site, default_site_name, list_sites, sites, sites_dir

if TYPE_CHECKING:
    from ..context import Context

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class RequestInfo:
    """The parts of an HTTP request the auth layer needs (safe to pass to worker threads)."""

    method: str
    host: str
    authorization: str | None
    sid: str | None
    csrf_header: str | None
    client_ip: str | None
    site_header: str | None = None
    args: dict = field(default_factory=dict)


@dataclass
class RequestAuth:
    user: str
    via: str  # "token", "basic", "session" or "guest"
    session: Session | None = None
    clear_cookie: bool = False


_known_sites: dict[str, tuple[float, frozenset[str], str | None]] = {}


def _sites_of(root: Path) -> tuple[frozenset[str], str | None]:
    """Site names and the default site, re-read only when the sites folder changes (a
    directory listing per request was a measurable share of a small API call)."""
    folder = str(root)
    try:  # plain os.stat: pathlib's wrappers cost more than the system calls
        stamp = os.stat(folder).st_mtime_ns
    except FileNotFoundError:
        return frozenset(), None
    try:
        stamp = max(stamp, os.stat(os.path.join(folder, "currentsite.txt")).st_mtime_ns)
    except FileNotFoundError:
        pass
    cached = _known_sites.get(folder)
    if cached is None or cached[0] != stamp:
        cached = (stamp, frozenset(list_sites(root)), default_site_name(root))
        _known_sites[folder] = cached
    return cached[1], cached[2]


def resolve_site(info: RequestInfo) -> Site:
    """A site folder named like X-Frappe-Site-Name or the Host (port stripped), else the
    site the server was started for (`layanan --site NAME serve` sets $LAYANAN_SITE, as
    `bench --site NAME serve` pins Frappe's), else the default (sites/currentsite.txt)."""
    known, current = _sites_of(sites_dir())
    # sites.get() without a root uses the same memoised sites_dir() (no path resolving)
    for candidate in (info.site_header, info.host.split(":")[0] if info.host else None):
        if candidate and candidate in known:
            return sites.get(candidate)
    default = os.environ.get("LAYANAN_SITE") or current
    if default and default in known:
        return sites.get(default)
    raise SiteNotFoundError(f"situs untuk {info.host or 'permintaan ini'} tidak ditemukan")


def _credentials(header: str) -> tuple[str, str, str]:
    scheme, _, value = header.strip().partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme == "token":
        key, sep, secret = value.partition(":")
        if sep:
            return "token", key, secret
    elif scheme == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise AuthenticationError("Header Authorization tidak valid") from exc
        key, sep, secret = decoded.partition(":")
        if sep:
            return "basic", key, secret
    raise AuthenticationError("Header Authorization tidak valid; gunakan 'token key:secret'")


def authenticate(ctx: Context, info: RequestInfo) -> RequestAuth:
    """The request's user. A token/Basic header wins over a cookie (and skips CSRF), so a
    browser session cookie riding along never breaks API-key calls (Frappe issue #33105)."""
    if info.authorization:
        via, key, secret = _credentials(info.authorization)
        user = user_for_keys(ctx, key, secret)
        if user is None:
            raise AuthenticationError("API key atau secret tidak valid")
        return RequestAuth(user, via)
    if info.sid and info.sid != "Guest":
        session = get_session(ctx, info.sid)
        if session is None:
            return RequestAuth("Guest", "guest", clear_cookie=True)
        if info.method in UNSAFE and session.csrf_token and not ctx.site.config.get("ignore_csrf"):
            if info.csrf_header != session.csrf_token:
                raise CSRFTokenError("Invalid Request: token CSRF tidak cocok")
        return RequestAuth(session.user, "session", session)
    return RequestAuth("Guest", "guest")
