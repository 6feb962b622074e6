"""Site commands: new-site, use, migrate, backup, restore."""

from __future__ import annotations

from pathlib import Path

import click

from .common import command_registry, current_site

COMMANDS: list[click.Command] = []
command = command_registry(COMMANDS)


@command("new-site")
@click.argument("name")
@click.option(
    "--db-url",
    help="mariadb://root:PASSWORD@host:3306[/dbname]: a MariaDB database and its own user "
    "are created (default: SQLite in the site folder)",
)
@click.option(
    "--db-root-user", help="MariaDB account that creates the database and user (default: root)"
)
@click.option("--db-root-password", help="password of --db-root-user")
@click.option("--admin-password", help="Administrator password (default: generated and printed)")
@click.option(
    "--demo", is_flag=True, help="fill the site with demo data (when the app provides it)"
)
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
    from ..sites_admin import create_site, generate_password, run_demo_hook

    password = admin_password or generate_password()
    # only a demo site keeps its Administrator password in its config (scripts/demo.sh
    # prints it again on every run); a real site's password is shown once, here
    extra = {"demo_admin_password": password} if demo else None
    site, password = create_site(
        name,
        db_url=db_url,
        db_root_user=db_root_user,
        db_root_password=db_root_password,
        admin_password=password,
        extra_config=extra,
    )
    where = "MariaDB" if site.is_mariadb else f"SQLite: {site.path / 'site.db'}"
    click.echo(f"Situs {site.name} dibuat ({where}).")
    click.echo("Masuk sebagai:")
    click.echo("  Pengguna:   Administrator")
    click.echo(f"  Kata sandi: {password}")
    if demo:
        if run_demo_hook(site):
            click.echo("Data demo dimuat.")
        else:
            click.echo("Aplikasi belum menyediakan data demo (layanan_sosial.demo); situs kosong.")


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
    from ..db.engine import check_connection
    from ..migrate import migrate

    site = current_site(click_ctx)
    check_connection(site.engine)
    report = migrate(site)
    changed = ", ".join(report.changed) or "tidak ada"
    click.echo(f"{site.name}: {len(report.tables)} DocType diperiksa; berubah: {changed}")


@command("backup")
@click.option("--with-files", is_flag=True, help="also archive public and private files")
def backup_command(click_ctx: click.Context, with_files: bool) -> None:
    """Write a gzipped SQL dump, a copy of site_config.json (and a files archive) to
    sites/<site>/backups; prints the paths, the dump first."""
    from ..backups import backup
    from ..db.engine import check_connection

    site = current_site(click_ctx)
    check_connection(site.engine)
    for path in backup(site, with_files=with_files):
        click.echo(str(path))


@command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--with-files", is_flag=True, help="also restore the backup's …-files.tar.gz beside FILE"
)
def restore_command(click_ctx: click.Context, file: Path, with_files: bool) -> None:
    """Replace the site's database with a dump from `layanan backup` (tables dropped first)."""
    from ..backups import encryption_key_differs, restore
    from ..db.engine import check_connection

    site = current_site(click_ctx)
    check_connection(site.engine)
    for path in restore(site, file, with_files=with_files):
        click.echo(f"{site.name} dipulihkan dari {path}")
    if encryption_key_differs(site, file.expanduser().resolve()):
        click.echo(
            "Peringatan: encryption_key cadangan berbeda dari situs ini; salin nilainya dari "
            "…-site_config_backup.json ke site_config.json agar kolom Password terbaca.",
            err=True,
        )
    click.echo("Mulai ulang server dan worker situs ini agar memakai data yang dipulihkan.")
