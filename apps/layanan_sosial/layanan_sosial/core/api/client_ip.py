"""The client's address, for login/reset rate limits, sessions and Activity Log.

`X-Forwarded-For` is believed only when the direct peer is a trusted proxy (loopback by
default: nginx on the same host; more via $LAYANAN_TRUSTED_PROXIES, comma-separated), and
then read from the right: a proxy appends the address it saw, so the rightmost address that
is not itself a trusted proxy is the client — whatever a client wrote further left is its
own claim. Believing the header from anyone (as Frappe does) lets a client dodge every
per-address limit by sending a new address with each attempt.
"""

from __future__ import annotations

import os
from functools import lru_cache

from starlette.requests import Request

DEFAULT_TRUSTED = "127.0.0.1,::1"


@lru_cache(maxsize=8)
def _trusted(setting: str) -> frozenset[str]:
    return frozenset(part.strip() for part in setting.split(",") if part.strip())


def trusted_proxies() -> frozenset[str]:
    return _trusted(os.environ.get("LAYANAN_TRUSTED_PROXIES", DEFAULT_TRUSTED))


def client_address(peer: str | None, forwarded_for: str | None) -> str | None:
    """The client's address given the direct peer and the X-Forwarded-For header."""
    trusted = trusted_proxies()
    if not forwarded_for or peer not in trusted:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if hop not in trusted:
            return hop
    return hops[0] if hops else peer


def client_ip(request: Request) -> str | None:
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.get("x-forwarded-for"))
