"""Helpers shared by the desk tests (server side and browser): a committed site of their own
per backend, users with roles and passwords, and a logged-in client."""

from __future__ import annotations

import re

PASSWORD = "Kupang-Lontar-2026!"


def make_user(site, email: str, roles=(), language: str | None = None) -> str:
    with site.begin() as ctx:
        for role in roles:
            if not ctx.exists("Role", role):
                ctx.new_doc("Role", role_name=role).insert()
        values = {
            "email": email,
            "first_name": email.split("@")[0],
            "new_password": PASSWORD,
            "roles": [{"role": r} for r in roles],
        }
        if language:
            values["language"] = language
        ctx.new_doc("User", values).insert()
    return email


def login(client, email: str, password: str = PASSWORD, next_url: str = "/app"):
    return client.post(
        "/login", data={"usr": email, "pwd": password, "next": next_url}, follow_redirects=False
    )


def csrf_of(html: str) -> str:
    found = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    return found.group(1) if found else ""


def root_conftest():
    """The shared site helpers (tests/sitekit.py); kept under this name for the callers."""
    import sitekit

    return sitekit
