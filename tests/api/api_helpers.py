"""Helpers shared by the API tests (users with roles and API keys)."""

from __future__ import annotations

import base64

PASSWORD = "Kupang-Lontar-2026!"


def make_user(site, email, roles=(), password=PASSWORD):
    with site.begin() as ctx:
        for role in roles:
            if not ctx.exists("Role", role):
                ctx.new_doc("Role", role_name=role).insert()
        if not ctx.exists("User", email):
            ctx.new_doc(
                "User",
                email=email,
                first_name=email.split("@")[0],
                new_password=password,
                roles=[{"role": r} for r in roles],
            ).insert()
        from layanan_sosial.core.users import generate_keys

        key, secret = generate_keys(ctx, email)
    return {
        "token": f"token {key}:{secret}",
        "basic": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode(),
    }
