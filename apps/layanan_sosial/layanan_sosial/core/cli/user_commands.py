"""User commands: add-user, set-admin-password, generate-keys."""

from __future__ import annotations

import click

from ..exceptions import SiteError
from .common import command_registry, current_site
from .errors import fail

COMMANDS: list[click.Command] = []
command = command_registry(COMMANDS)


@command("add-user")
@click.argument("email")
@click.option("--first-name", help="first name (default: the part before @)")
@click.option("--password", help="password (without it the user cannot log in yet)")
@click.option("--roles", default="", help='comma separated, e.g. "System Manager,Desk User"')
def add_user(
    click_ctx: click.Context, email: str, first_name: str | None, password: str | None, roles: str
) -> None:
    """Create a System User with roles (the roles must exist on the site)."""
    from ..document.validation import EMAIL_RE

    email = email.strip().lower()
    if not EMAIL_RE.match(email) or "," in email:
        fail(f"{email!r} bukan alamat email yang valid", hint="contoh: petugas@dinsos.go.id")
    wanted = list(dict.fromkeys(r.strip() for r in roles.split(",") if r.strip()))
    site = current_site(click_ctx)
    with site.begin() as ctx:
        if ctx.exists("User", email):
            raise SiteError(f"pengguna {email} sudah ada", hint="pilih alamat email lain")
        missing = [r for r in wanted if not ctx.exists("Role", r)]
        if missing:
            raise SiteError(
                f"peran tidak dikenal: {', '.join(missing)}",
                hint="peran yang ada: " + ", ".join(_role_names(ctx)),
            )
        doc = ctx.new_doc(
            "User",
            email=email,
            first_name=first_name or email.split("@")[0],
            user_type="System User",
            roles=[{"role": r} for r in wanted],
        )
        if password:
            doc.new_password = password
        doc.insert()
    click.echo(f"Pengguna {doc.name} dibuat; peran: {', '.join(wanted) or '-'}")


def _role_names(ctx) -> list[str]:  # noqa: ANN001 - a Context
    return sorted(r["name"] for r in ctx.get_all("Role", fields=["name"], limit=0))


@command("set-admin-password")
@click.argument("password")
def set_admin_password(click_ctx: click.Context, password: str) -> None:
    """Set the Administrator password."""
    from ..users import ADMINISTRATOR, set_password

    if not password.strip():
        fail("kata sandi kosong", hint="layanan set-admin-password KATA-SANDI")
    site = current_site(click_ctx)
    with site.begin() as ctx:
        set_password(ctx, ADMINISTRATOR, password)
    click.echo(f"Kata sandi Administrator situs {site.name} diubah.")


@command("generate-keys")
@click.argument("user")
def generate_keys_command(click_ctx: click.Context, user: str) -> None:
    """Print a new api_key and api_secret for USER (the secret is shown only now)."""
    from ..users import ADMINISTRATOR, GUEST, generate_keys

    site = current_site(click_ctx)
    if user == GUEST:
        fail("Guest tidak bisa punya API key", hint="pakai pengguna yang bisa masuk")
    name = user if user == ADMINISTRATOR else user.strip().lower()
    with site.begin() as ctx:
        if not ctx.exists("User", name):
            raise SiteError(f"pengguna {user} tidak ada", hint="buat dengan `layanan add-user`")
        key, secret = generate_keys(ctx, name)
    click.echo(f"api_key: {key}")
    click.echo(f"api_secret: {secret}")
