"""Server methods callable over REST (`/api/method/<path>`): the whitelist registry."""

from .registry import Method, get_method, whitelist

__all__ = ["Method", "get_method", "whitelist"]
