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
    """tests/conftest.py as loaded by pytest (`import conftest` is ambiguous once
    tests/browser has a conftest of its own)."""
    import importlib.util
    import sys
    from pathlib import Path

    path = (Path(__file__).parent.parent / "conftest.py").resolve()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and Path(file).resolve() == path:
            return module
    spec = importlib.util.spec_from_file_location("layanan_tests_conftest", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
