"""FastAPI dependencies for pages: the request's Context, opened per request.

The Context lives only in the dependency's frame (never in a module global or contextvar):
its transaction commits when the page returns and rolls back when it raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request

from ..api.request_context import authenticate
from ..api.runner import request_info
from ..context import Context
from ..site import Site
from .site_resolver import request_site

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def request_context(request: Request, site: Site = Depends(request_site)) -> Iterator[Context]:
    """A Context as the request's user (session cookie or API key, else Guest).

    A plain (sync) generator: FastAPI runs it in its thread pool, so database work never
    blocks the event loop."""
    with site.begin(user="Guest", write=request.method not in SAFE_METHODS) as ctx:
        auth = authenticate(ctx, request_info(request))
        ctx.set_user(auth.user)
        yield ctx


# scope="function": the transaction ends (commit or rollback) when the page function
# returns, before the response is sent — a client never sees success for a failed commit
RequestContext = Annotated[Context, Depends(request_context, scope="function")]
