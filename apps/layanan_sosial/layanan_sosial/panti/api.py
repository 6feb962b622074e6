"""Panti server methods callable over REST (`/api/method/layanan_sosial.panti.api.<fn>`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.core.api import whitelist
from layanan_sosial.core.exceptions import PermissionError_, ValidationError
from layanan_sosial.panti import akses

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

PENGELOLA = frozenset({"Admin Dinsos", "System Manager"})


@whitelist(methods=("POST",))
def sinkron_akses_pengguna(ctx: Context, user: Any) -> dict[str, Any]:
    """Give a Mitra LKS user, bound to a Lembaga Mitra by a User Permission, a User
    Permission on every Panti of that Lembaga (for bindings made after the Panti existed).
    Admin Dinsos / System Manager only. Returns {"user", "panti": [names]}."""
    if ctx.user != "Administrator" and not PENGELOLA & set(ctx.roles):
        raise PermissionError_("Hanya Admin Dinsos yang dapat mengatur akses panti")
    if not user or not isinstance(user, str):
        raise ValidationError("user wajib diisi", field="user")
    with ctx.ignore_permissions():
        if not ctx.exists("User", user):
            raise ValidationError(f"Pengguna {user} tidak ditemukan", field="user")
    return {"user": user, "panti": akses.sinkron_pengguna(ctx, user)}
