"""Demo users for every role, their record scope, and the shared demo password.

Kabupaten/kota staff get User Permissions on Wilayah per DocType (`applicable_for`), as the
SLRT module recommends: their Penerima Manfaat, Keluarga, Pengaduan, Kasus and Rujukan lists
show their kabupaten only, while Lembaga Mitra and master data stay whole. Panti staff are
scoped by the Panti's staff rows and LKS partners by their Lembaga Mitra (User Permissions
written by the panti module when the panti are created, see demo/panti.py).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from layanan_sosial.core.site import read_json, write_json

from .common import email

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

DOCTYPES = ("User", "User Permission", "Role", "Wilayah")
CONFIG_KEY = "demo_user_password"
KOTA_KUPANG, SIKKA, FLORES_TIMUR = "53.71", "53.07", "53.06"

SLRT_DOCTYPES = ("Penerima Manfaat", "Keluarga", "Pengaduan", "Kasus", "Rujukan")
BENCANA_DOCTYPES = ("Penerima Manfaat", "Kejadian Bencana", "Korban Bencana", "Penyaluran Bantuan")

# (user, first name, last name, roles, kabupaten scope, DocTypes the scope applies to, note)
PENGGUNA: tuple[tuple[str, str, str, tuple[str, ...], str | None, tuple[str, ...], str], ...] = (
    ("admin.dinsos", "Kristina", "Ndoen", ("Admin Dinsos",), None, (), "Dinsos Provinsi"),
    ("operator.spm", "Yohanes", "Bria", ("Admin Dinsos",), None, (), "operator e-SPM"),
    ("fo.kupang", "Selfina", "Riwu", ("Front Office",), KOTA_KUPANG, SLRT_DOCTYPES, ""),
    ("fasilitator.kupang", "Obed", "Tefa", ("Fasilitator",), KOTA_KUPANG, SLRT_DOCTYPES, ""),
    ("peksos.kupang", "Maria", "Manafe", ("Pekerja Sosial",), KOTA_KUPANG, SLRT_DOCTYPES, ""),
    (
        "supervisor.kupang",
        "Agustinus",
        "Seran",
        ("Supervisor SLRT",),
        KOTA_KUPANG,
        SLRT_DOCTYPES,
        "",
    ),  # fmt: skip
    ("fo.sikka", "Veronika", "da Cunha", ("Front Office",), SIKKA, SLRT_DOCTYPES, ""),
    ("peksos.sikka", "Florentina", "Parera", ("Pekerja Sosial",), SIKKA, SLRT_DOCTYPES, ""),
    ("supervisor.sikka", "Dominikus", "Moat", ("Supervisor SLRT",), SIKKA, SLRT_DOCTYPES, ""),
    ("manajer.slrt", "Theresia", "Pellokila", ("Manajer SLRT",), None, (), "Kepala Bidang"),
    ("petugas.panti", "Yosefina", "Nope", ("Petugas Panti",), None, (), "UPTD, lewat data panti"),
    ("kepala.panti", "Markus", "Taneo", ("Petugas Panti",), None, (), "UPTD, lewat data panti"),
    ("mitra.lks", "Imelda", "Wangge", ("Mitra LKS",), None, (), "LKS, lewat Lembaga Mitra"),
    ("pengurus.lks", "Paulus", "Mbete", ("Mitra LKS",), None, (), "LKS, lewat Lembaga Mitra"),
    (
        "petugas.bencana",
        "Lukas",
        "Kelen",
        ("Petugas Bencana",),
        FLORES_TIMUR,
        BENCANA_DOCTYPES,
        "",
    ),  # fmt: skip
    ("pimpinan", "Benediktus", "Jehadut", ("Pimpinan",), None, (), "Kepala Dinas, baca saja"),
)


def sudah_ada(ctx: Context) -> bool:
    with ctx.ignore_permissions():
        return all(ctx.exists("User", email(p[0])) for p in PENGGUNA) and bool(
            ctx.site.config.get(CONFIG_KEY)
        )


def kata_sandi(ctx: Context) -> str:
    """The shared password of the demo users, created once and kept in site_config.json
    (like `demo_admin_password`; a demo site only)."""
    site = ctx.site
    password = site.config.get(CONFIG_KEY)
    if password:
        return password
    path = site.path / "site_config.json"
    config = read_json(path)
    password = config.get(CONFIG_KEY) or "Demo-" + secrets.token_urlsafe(9)
    config[CONFIG_KEY] = password
    write_json(path, config)
    site.config[CONFIG_KEY] = password
    return password


def buat(ctx: Context) -> str:
    password = kata_sandi(ctx)
    dibuat = 0
    with ctx.ignore_permissions():
        for user, first, last, roles, scope, doctypes, _ in PENGGUNA:
            if ctx.exists("User", email(user)):
                continue
            ctx.new_doc(
                "User",
                email=email(user),
                first_name=first,
                last_name=last,
                user_type="System User",
                language="id",
                roles=[{"role": r} for r in roles],
                new_password=password,
            ).insert()
            dibuat += 1
            for doctype in doctypes:
                if ctx.doctype_exists(doctype):
                    ctx.new_doc(
                        "User Permission",
                        user=email(user),
                        allow="Wilayah",
                        for_value=scope,
                        apply_to_all_doctypes=0,
                        applicable_for=doctype,
                    ).insert()
    return f"{dibuat} pengguna demo"


def cetak_login(ctx: Context) -> None:
    password = ctx.site.config.get(CONFIG_KEY)
    if not password:
        return
    with ctx.ignore_permissions():
        names = {
            r["name"]: r["for_value"]
            for r in ctx.get_all("Wilayah", fields=["name", "nama as for_value"],
                                 filters={"tingkat": ["in", ["Kabupaten", "Kota"]]})
        }  # fmt: skip
    print("Pengguna demo (kata sandi bersama, tersimpan di site_config.json "
          f"'{CONFIG_KEY}'): {password}")  # fmt: skip
    for user, _first, _last, roles, scope, _doctypes, note in PENGGUNA:
        where = names.get(scope, scope) if scope else note
        print(f"  {email(user):34s} {', '.join(roles):16s} {where}")
