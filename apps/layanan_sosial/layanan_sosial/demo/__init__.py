"""Demo data for `layanan new-site NAME --demo`: a synthetic Dinas Sosial NTT.

`make_demo(ctx)` fills users for every role (kabupaten, panti and LKS staff scoped by User
Permissions) sharing one demo password kept in site_config.json (`demo_user_password`),
about 2,000 Penerima Manfaat over the 22 kabupaten/kota with families, partner
institutions, programmes, satisfaction survey responses, and — when those modules are
installed — panti with residents, complaints, cases and referrals, a disaster with
victims and aid distributions, and SPM targets and snapshots. Documents in a workflow state
got there through the workflow engine, as the users whose role takes each step.

Deterministic (seeded), in Indonesian, made up. One module per area; a part whose DocTypes
are missing is skipped, and a part whose data is already there is skipped too, so running
it again adds nothing (and adds only the parts of modules installed since).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from . import bencana, master, mutu, panti, pengguna, registri, slrt, spm

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

# order matters: later parts use the users, regions and recipients of earlier ones
PARTS = (pengguna, master, registri, mutu, panti, slrt, bencana, spm)


def make_demo(ctx: Context, *, verbose: bool = True) -> dict[str, str]:
    """Fill the site; returns {part: what was done} ("dilewati: ..." for skipped parts)."""
    done: dict[str, str] = {}
    user, now = ctx.user, ctx.now_override
    try:
        for part in PARTS:
            name = part.__name__.rsplit(".", 1)[-1]
            started = time.perf_counter()
            missing = [dt for dt in part.DOCTYPES if not ctx.doctype_exists(dt)]
            if missing:
                done[name] = f"dilewati: DocType belum ada ({', '.join(missing)})"
            elif part.sudah_ada(ctx):
                done[name] = "dilewati: data demo sudah ada"
            else:
                done[name] = part.buat(ctx)
            ctx.set_user(user)
            ctx.now_override = now
            if verbose:
                print(f"  demo {name:9s} {done[name]} ({time.perf_counter() - started:.1f} s)")
    finally:
        ctx.set_user(user)
        ctx.now_override = now
    if verbose:
        pengguna.cetak_login(ctx)
    return done
