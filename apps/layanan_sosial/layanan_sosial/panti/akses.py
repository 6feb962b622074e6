"""Record scope of panti staff and LKS partners: User Permissions on Panti, kept by data.

Who sees a Panti (and, through the `panti` Link, its Penghuni Panti, Pemberian Layanan and
Penilaian SPM Panti) is decided by User Permission rows `allow = Panti`. Nothing in the
controllers filters by user; the engine's User Permission rules do it everywhere (lists,
reads, link search, REST). This module only *writes* those rows, from two bindings:

1. A staff row of the Panti (`Petugas Panti Anggota.user`) → that user may see the Panti.
   Removing the row removes that user's permission again.
2. A Mitra LKS user bound to a Lembaga Mitra (User Permission `allow = Lembaga Mitra`, the
   same binding referrals use) → the user may see every Panti whose `lembaga` is that
   Lembaga. Granted when the Panti is saved; `sinkron_akses_pengguna(user)` (whitelisted in
   `panti.api`) grants it for a user bound after the Panti existed.

Engine rule to keep in mind: User Permissions restrict only users who have at least one
for that DocType. A Petugas Panti or Mitra LKS account without any Panti permission sees all
panti — create such accounts only together with their binding (staff row or Lembaga).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

PANTI = "Panti"
LEMBAGA = "Lembaga Mitra"
USER_PERMISSION = "User Permission"
PETUGAS = "Petugas Panti"


def beri_akses(ctx: Context, user: str, panti: str) -> bool:
    """Give `user` a User Permission on `panti` (no-op when present). True when created."""
    with ctx.ignore_permissions():
        if ctx.get_all(
            USER_PERMISSION,
            filters={"user": user, "allow": PANTI, "for_value": panti},
            pluck="name",
            limit_page_length=1,
        ):
            return False
        ctx.new_doc(
            USER_PERMISSION, user=user, allow=PANTI, for_value=panti, apply_to_all_doctypes=1
        ).insert()
    return True


def cabut_akses(ctx: Context, user: str, panti: str) -> None:
    """Remove `user`'s permission on `panti`. User Permissions restrict only users who have
    some: a Petugas Panti left with none would see *every* panti, so a user who loses the
    last one also loses the Petugas Panti role (fail closed)."""
    with ctx.ignore_permissions():
        for name in ctx.get_all(
            USER_PERMISSION,
            filters={"user": user, "allow": PANTI, "for_value": panti},
            pluck="name",
        ):
            ctx.delete_doc(USER_PERMISSION, name)
        if ctx.get_all(USER_PERMISSION, filters={"user": user, "allow": PANTI}, pluck="name"):
            return
        doc = ctx.get_doc("User", user)
        roles = [row for row in doc.roles or [] if row.role != PETUGAS]
        if len(roles) != len(doc.roles or []):
            doc.set("roles", [{"role": row.role} for row in roles])
            doc.save()


def pengguna_lembaga(ctx: Context, lembaga: str) -> list[str]:
    """Users bound to a Lembaga Mitra through a User Permission."""
    with ctx.ignore_permissions():
        return sorted(
            set(
                ctx.get_all(
                    USER_PERMISSION,
                    filters={"allow": LEMBAGA, "for_value": lembaga},
                    pluck="user",
                )
            )
        )


def sinkron_panti(ctx: Context, panti: str, lembaga: str | None, petugas: set[str]) -> None:
    for user in sorted(petugas):
        beri_akses(ctx, user, panti)
    if lembaga:
        for user in pengguna_lembaga(ctx, lembaga):
            beri_akses(ctx, user, panti)


def sinkron_pengguna(ctx: Context, user: str) -> list[str]:
    """Grant `user` every Panti of the Lembaga Mitra they are bound to; returns those Panti."""
    with ctx.ignore_permissions():
        lembaga = ctx.get_all(
            USER_PERMISSION, filters={"user": user, "allow": LEMBAGA}, pluck="for_value"
        )
        if not lembaga:
            return []
        daftar = ctx.get_all(PANTI, filters={"lembaga": ["in", lembaga]}, pluck="name")
    for panti in daftar:
        beri_akses(ctx, user, panti)
    return sorted(daftar)


def on_user_permission(doc: Any, event: str) -> None:
    """hooks.doc_events on User Permission: binding a user to a Lembaga Mitra grants its
    Panti at once; removing the binding takes back the Panti the user has only through
    that Lembaga (staff rows keep theirs)."""
    if doc.get("allow") != LEMBAGA or not doc.get("user"):
        return
    ctx = doc.ctx
    if event == "after_insert":
        sinkron_pengguna(ctx, doc.user)
        return
    with ctx.ignore_permissions():
        daftar = ctx.get_all(PANTI, filters={"lembaga": doc.for_value}, pluck="name")
        staf = set(
            ctx.get_all(
                "Petugas Panti Anggota",
                filters={"user": doc.user, "parenttype": PANTI},
                pluck="parent",
            )
        )
    for panti in daftar:
        if panti not in staf:
            cabut_akses(ctx, doc.user, panti)
