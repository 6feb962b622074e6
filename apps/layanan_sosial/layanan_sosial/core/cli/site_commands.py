"""Site, user and operations commands (new-site, use, migrate, serve, add-user, ...)."""

from __future__ import annotations

import code
import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import click

from ..exceptions import SiteError
from ..site import Site, get_site, sites_dir
from .errors import fail, friendly_errors

COMMANDS: list[click.Command] = []


def command(*args: Any, **kwargs: Any):  # noqa: ANN201 - decorator factory
    def register(fn):  # noqa: ANN001, ANN202
        cmd = click.command(*args, **kwargs)(click.pass_context(friendly_errors(fn)))
        COMMANDS.append(cmd)
        return cmd

    return register


def _site(click_ctx: click.Context) -> Site:
    return get_site((click_ctx.obj or {}).get("site"))


@command("new-site")
@click.argument("name")
@click.option(
    "--db-url",
    help="mariadb://root:PASSWORD@host:3306[/dbname] (default: SQLite in the site folder)",
)
@click.option("--db-root-user", help="MariaDB administrator that creates the database and its user")
@click.option("--db-root-password", help="password of --db-root-user")
@click.option("--admin-password", help="Administrator password (default: generated and printed)")
@click.option("--demo", is_flag=True, help="fill the site with demo data")
def new_site(
    click_ctx: click.Context,
    name: str,
    db_url: str | None,
    db_root_user: str | None,
    db_root_password: str | None,
    admin_password: str | None,
    demo: bool,
) -> None:
    """Create a site (database, files, site_config.json) and its Administrator."""
    from ..sites_admin import create_site, make_demo

    extra = {"demo_admin_password": admin_password} if demo and admin_password else None
    site, password = create_site(
        name,
        db_url=db_url,
        db_root_user=db_root_user,
        db_root_password=db_root_password,
        admin_password=admin_password,
        extra_config=extra,
    )
    if demo and not make_demo(site):
        click.echo("(tidak ada data demo yang tersedia di aplikasi terpasang)")
    click.echo(f"Situs {site.name} dibuat ({'MariaDB' if site.is_mariadb else 'SQLite'}).")
    click.echo(f"Masuk sebagai: Administrator / {password}")


@command("use")
@click.argument("name")
def use(click_ctx: click.Context, name: str) -> None:
    """Make NAME the default site (sites/currentsite.txt)."""
    from ..sites_admin import use_site

    use_site(name)
    click.echo(f"Situs bawaan: {name}")


@command("migrate")
def migrate_command(click_ctx: click.Context) -> None:
    """Bring the site's tables in step with the DocTypes (safe to run again)."""
    from ..migrate import migrate

    site = _site(click_ctx)
    report = migrate(site)
    changed = report.changed
    click.echo(
        f"{site.name}: {len(report.tables)} DocType diperiksa; berubah: {', '.join(changed) or 'tidak ada'}"
    )


@command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
def serve(click_ctx: click.Context, host: str, port: int, workers: int) -> None:
    """Serve every site of this bench over HTTP (uvicorn; gunicorn when --workers > 1)."""
    site_name = (click_ctx.obj or {}).get("site")
    if site_name:
        get_site(site_name)  # fail early with a clear message when it does not exist
        os.environ["LAYANAN_SITE"] = site_name
    os.environ.setdefault("LAYANAN_SITES_DIR", str(sites_dir()))
    if workers <= 1:
        os.environ["LAYANAN_INPROCESS_SCHEDULER"] = "1"
        import uvicorn

        uvicorn.run(
            "layanan_sosial.core.web.app:create_app",
            factory=True,
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
        )
        return
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "-k",
        "uvicorn.workers.UvicornWorker",
        "-w",
        str(workers),
        "-b",
        f"{host}:{port}",
        "--access-logfile",
        "-",
        "layanan_sosial.core.web.app:create_app()",
    ]
    raise SystemExit(subprocess.call(cmd))


@command("console")
def console(click_ctx: click.Context) -> None:
    """An interactive Python shell with `site` and `ctx` (as Administrator); commit with ctx.commit()."""
    site = _site(click_ctx)
    from ..context import Context

    ctx = Context.open(site, user="Administrator", write=True, flags={})
    try:
        code.interact(
            banner=f"Layanan Sosial — {site.name}. `ctx` terbuka; ctx.commit() untuk menyimpan.",
            local={"site": site, "ctx": ctx},
        )
    finally:
        ctx.close()


@command("execute")
@click.argument("method")
@click.option("--kwargs", "kwargs_json", default="{}", help="JSON object of keyword arguments")
def execute(click_ctx: click.Context, method: str, kwargs_json: str) -> None:
    """Call a Python function inside the site (committed on success) and print its result as JSON."""
    try:
        kwargs = json.loads(kwargs_json)
    except json.JSONDecodeError as exc:
        fail(f"--kwargs is not valid JSON: {exc.msg}", hint="contoh: --kwargs '{\"tahun\": 2026}'")
    if not isinstance(kwargs, dict):
        fail("--kwargs must be a JSON object")
    module_name, _, attr = method.rpartition(".")
    try:
        fn = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError, ValueError):
        fail(
            f"cannot find {method}",
            hint="give the full dotted path, e.g. layanan_sosial.spm.api.hitung_capaian",
        )
    site = _site(click_ctx)
    with site.begin() as ctx:
        if "ctx" in inspect.signature(fn).parameters:
            kwargs["ctx"] = ctx
        result = fn(**kwargs)
    from ..api.responses import dumps

    click.echo(dumps(result).decode())


@command("add-user")
@click.argument("email")
@click.option("--first-name")
@click.option("--password")
@click.option("--roles", default="", help='comma separated, e.g. "Front Office,Fasilitator"')
def add_user(
    click_ctx: click.Context, email: str, first_name: str | None, password: str | None, roles: str
) -> None:
    """Create a System User with roles (roles must exist)."""
    site = _site(click_ctx)
    wanted = [r.strip() for r in roles.split(",") if r.strip()]
    with site.begin() as ctx:
        missing = [r for r in wanted if not ctx.exists("Role", r)]
        if missing:
            raise SiteError(
                f"peran tidak dikenal: {', '.join(missing)}", hint="lihat daftar Role di situs ini"
            )
        doc = ctx.new_doc(
            "User",
            email=email,
            first_name=first_name or email.split("@")[0],
            roles=[{"role": r} for r in wanted],
        )
        if password:
            doc.new_password = password
        doc.insert()
    click.echo(f"Pengguna {doc.name} dibuat dengan peran: {', '.join(wanted) or '-'}")


@command("set-admin-password")
@click.argument("password")
def set_admin_password(click_ctx: click.Context, password: str) -> None:
    """Set the Administrator password."""
    from ..users import ADMINISTRATOR, set_password

    site = _site(click_ctx)
    with site.begin() as ctx:
        set_password(ctx, ADMINISTRATOR, password)
    click.echo("Kata sandi Administrator diubah.")


@command("generate-keys")
@click.argument("user")
def generate_keys_command(click_ctx: click.Context, user: str) -> None:
    """Print a new api_key and api_secret for USER (the secret is shown once)."""
    from ..users import generate_keys

    site = _site(click_ctx)
    with site.begin() as ctx:
        if not ctx.exists("User", user):
            raise SiteError(f"pengguna {user} tidak ada")
        key, secret = generate_keys(ctx, user)
    click.echo(f"api_key: {key}")
    click.echo(f"api_secret: {secret}")


@command("backup")
@click.option("--with-files", is_flag=True, help="also archive public and private files")
def backup_command(click_ctx: click.Context, with_files: bool) -> None:
    """Write a gzipped SQL dump (and file archives) to sites/<site>/private/backups."""
    from ..sites_admin import backup

    for path in backup(_site(click_ctx), with_files=with_files):
        click.echo(str(path))


@command("restore")
@click.argument("file", type=click.Path(path_type=Path))
def restore_command(click_ctx: click.Context, file: Path) -> None:
    """Replace the site's database with a dump from `layanan backup`."""
    from ..sites_admin import restore

    site = _site(click_ctx)
    restore(site, file)
    click.echo(f"{site.name} dipulihkan dari {file}")
