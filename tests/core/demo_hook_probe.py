"""A stand-in for an app's `demo.make_demo(ctx)` hook (tests point new-site --demo here)."""

from __future__ import annotations

from typing import Any


def make_demo(ctx: Any) -> None:
    ctx.new_doc("Role", role_name="Peran Demo").insert()
