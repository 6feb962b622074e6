"""MariaDB backup and restore.

Why `mariadb-dump` first: it is the reference tool — a consistent snapshot
(`--single-transaction`) that never blocks writers, exact for every column type, fast C
streaming, and its output is what any DBA restores with the `mariadb` client. Hosts without
the client package (database on another machine, a slim container with only libmariadb)
still get backups: a pure-Python dump in the same shape (`sql_dump.py`), and restore loads
either kind statement by statement (`sql_script.py`) when no `mariadb` client is installed.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterable
from typing import IO

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from ..db.engine import create_site_engine, normalise_url
from ..exceptions import SiteError
from ..site import Site
from .sql_dump import dump_database, quote_name
from .sql_script import iter_statements


def find_tool(*names: str) -> str | None:
    """The first of `names` on PATH (tests patch this to exercise the pure-Python path)."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def dump_tool_name() -> str:
    return "mariadb-dump" if find_tool("mariadb-dump", "mysqldump") else "python"


def dump(site: Site, out: IO[bytes]) -> None:
    """Write the site's database as SQL to the binary stream `out`."""
    tool = find_tool("mariadb-dump", "mysqldump")
    if tool is None:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=True)
        try:
            dump_database(site.engine, text)
            text.flush()
        finally:
            text.detach()
        return
    args, env = _client_args(site)
    proc = subprocess.Popen(
        [
            tool,
            *args,
            "--single-transaction",
            "--quick",
            "--skip-lock-tables",
            "--hex-blob",  # binary columns as X'…': the dump stays valid UTF-8 text
            "--default-character-set=utf8mb4",
            _database(site),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    shutil.copyfileobj(proc.stdout, out)
    _, err = proc.communicate()
    if proc.returncode:
        raise SiteError(f"mariadb-dump gagal: {err.decode(errors='replace').strip()}")


def restore(site: Site, open_dump: IO[bytes]) -> None:
    """Drop every table of the site's database, then load the dump (client or Python)."""
    drop_all_tables(site)
    client = find_tool("mariadb", "mysql")
    if client is None:
        _load_with_python(site, io.TextIOWrapper(open_dump, encoding="utf-8", newline=""))
        return
    args, env = _client_args(site)
    proc = subprocess.Popen(
        [client, *args, "--default-character-set=utf8mb4", _database(site)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdin is not None and proc.stderr is not None
    try:
        shutil.copyfileobj(open_dump, proc.stdin)
    except BrokenPipeError:
        pass  # the client stopped early; its error message follows
    finally:
        proc.stdin.close()
    err = proc.stderr.read()
    proc.wait()
    if proc.returncode:
        raise SiteError(f"restore gagal: {err.decode(errors='replace').strip()}")


def drop_all_tables(site: Site) -> None:
    engine = create_site_engine(site.db_url)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SHOW FULL TABLES").all()
            conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
            for name, kind in rows:
                word = "VIEW" if kind == "VIEW" else "TABLE"
                conn.exec_driver_sql(f"DROP {word} IF EXISTS {quote_name(name)}")
            conn.commit()
    finally:
        engine.dispose()


def _load_with_python(site: Site, lines: Iterable[str]) -> None:
    engine = sa.create_engine(
        normalise_url(site.db_url), isolation_level="AUTOCOMMIT", poolclass=sa.NullPool
    )
    try:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            try:
                for statement in iter_statements(lines):
                    cursor.execute(statement)
            except UnicodeDecodeError as exc:
                raise SiteError(
                    "cadangan memuat data biner mentah (bukan UTF-8)",
                    hint="pasang paket Debian mariadb-client agar `mariadb` yang memuatnya",
                ) from exc
            finally:
                cursor.close()
        finally:
            raw.close()
    finally:
        engine.dispose()


def _database(site: Site) -> str:
    return make_url(site.db_url).database or ""


def _client_args(site: Site) -> tuple[list[str], dict[str, str]]:
    url = make_url(site.db_url)
    args = [f"--host={url.host or '127.0.0.1'}", f"--port={url.port or 3306}"]
    if url.username:
        args.append(f"--user={url.username}")
    env = {**os.environ, "MYSQL_PWD": url.password or ""}  # keeps the password out of `ps`
    return args, env
