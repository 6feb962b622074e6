"""Shared helpers of the demo parts: seeded randomness, the clock, acting as a user."""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

DOMAIN = "demo.layanan.id"


def rng(part: str) -> random.Random:
    """One generator per part, so adding a part never changes another's data."""
    return random.Random(f"layanan-demo-{part}")


def email(user: str) -> str:
    return f"{user}@{DOMAIN}"


def hari_ini(ctx: Context) -> dt.date:
    return ctx.now().date()


def pada(ctx: Context, when: dt.datetime, user: str | None = None) -> Context:
    """Set the clock (creation/modified and workflow dates follow it) and the acting user."""
    ctx.now_override = when
    if user is not None:
        standard = "@" in user or user in ("Administrator", "Guest")
        ctx.set_user(user if standard else email(user))
    return ctx


def aksi(ctx: Context, doc: Any, action: str, user: str, when: dt.datetime, **values: Any) -> Any:
    """Take a workflow action as `user` at `when`, saving `values` first (as that user)."""
    from layanan_sosial.core.workflow.engine import apply_workflow

    pada(ctx, when, user)
    if values:
        fresh = ctx.get_doc(doc.doctype, doc.name)
        fresh.update(values)
        fresh.save()
    return apply_workflow(ctx, {"doctype": doc.doctype, "name": doc.name}, action)


def wilayah_desa(ctx: Context, akar: str) -> list[str]:
    """Desa/kelurahan codes below a region, in code order."""
    with ctx.ignore_permissions():
        return ctx.get_all(
            "Wilayah",
            filters=[
                ["name", "like", f"{akar}.%"],
                ["tingkat", "in", ["Desa", "Kelurahan"]],
            ],
            pluck="name",
            order_by="name asc",
        )
