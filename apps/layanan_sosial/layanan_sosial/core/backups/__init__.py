"""`layanan backup` and `layanan restore`: a gzipped SQL dump per site (plus its files).

Backups go to `sites/<site>/backups/<timestamp>-<site>-database.sql.gz`, with a copy of the
site's config (`…-site_config_backup.json`: its `encryption_key` decrypts Password fields)
and, on request, `…-files.tar.gz` with public and private files. The folder is readable by
its owner only. The first line of every dump names its site and backend, so a SQLite dump
is never fed to MariaDB or the other way round.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import shutil
import zlib
from pathlib import Path

from ..exceptions import SiteError
from ..site import Site, sites
from . import mariadb, sqlite
from .files import archive_files, restore_files

HEADER_PREFIX = "-- layanan-backup"
DATABASE_SUFFIX = "-database.sql.gz"
FILES_SUFFIX = "-files.tar.gz"
CONFIG_SUFFIX = "-site_config_backup.json"

__all__ = ["backup", "backups_dir", "encryption_key_differs", "restore"]


def backups_dir(site: Site) -> Path:
    return site.path / "backups"


def backup(site: Site, *, with_files: bool = False) -> list[Path]:
    """Write the dump, a copy of site_config.json (and the files archive); returns the
    paths written, the dump first."""
    folder = backups_dir(site)
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)  # dumps hold password hashes and personal data
    stem = _free_stem(folder, site.name)
    target = folder / f"{stem}{DATABASE_SUFFIX}"
    backend = "mariadb" if site.is_mariadb else "sqlite"
    tool = mariadb.dump_tool_name() if site.is_mariadb else "sqlite3"
    created = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    header = f"{HEADER_PREFIX} site={site.name} backend={backend} tool={tool} created={created}\n"
    try:
        with gzip.open(target, "wb") as out:
            out.write(header.encode())
            if site.is_mariadb:
                mariadb.dump(site, out)
            else:
                text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
                sqlite.dump(site, text, folder / f".{stem}.snapshot")
                text.flush()
                text.detach()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    written = [target]
    config = folder / f"{stem}{CONFIG_SUFFIX}"
    shutil.copyfile(site.path / "site_config.json", config)
    config.chmod(0o600)
    written.append(config)
    if with_files:
        archive = folder / f"{stem}{FILES_SUFFIX}"
        archive_files(site, archive)
        written.append(archive)
    return written


def restore(site: Site, file: Path, *, with_files: bool = False) -> list[Path]:
    """Replace the site's database with a dump from `backup` (every table dropped first);
    with `with_files` also the files archive of the same backup. Returns what was restored.

    Running servers and workers of the site keep cached metadata: restart them afterwards.
    """
    file = file.expanduser().resolve()
    if not file.is_file():
        raise SiteError(f"berkas {file} tidak ada", hint=f"lihat {backups_dir(site)}")
    archive = _sibling(file, FILES_SUFFIX) if with_files else None
    if with_files and archive is None:
        raise SiteError(
            f"arsip berkas untuk {file.name} tidak ditemukan",
            hint=f"diharapkan …{FILES_SUFFIX} di samping berkas database",
        )
    on_mariadb = site.is_mariadb
    compressed = _check_readable(file)
    backend = _backend_of(file, compressed)
    wanted = "mariadb" if on_mariadb else "sqlite"
    if backend and backend != wanted:
        raise SiteError(
            f"{file.name} adalah cadangan {backend}, sedangkan situs {site.name} memakai {wanted}",
            hint="pulihkan ke situs dengan database yang sama jenisnya",
        )
    opener = gzip.open if compressed else open
    site.dispose()
    try:
        if on_mariadb:
            with opener(file, "rb") as dump:
                mariadb.restore(site, dump)
        else:
            with opener(file, "rt", encoding="utf-8", newline="") as lines:
                sqlite.restore(site, lines, backups_dir(site) / ".restoring.db")
    finally:
        sites.forget(site.name, site.root)  # the next use reloads meta from the restored data
    restored = [file]
    if archive is not None:
        restore_files(site, archive)
        restored.append(archive)
    return restored


def encryption_key_differs(site: Site, dump: Path) -> bool:
    """True when the backup's saved config has another `encryption_key` than the site:
    Password fields restored from it cannot be decrypted until the key is copied over."""
    saved = _sibling(dump, CONFIG_SUFFIX)
    if saved is None:
        return False
    key = json.loads(saved.read_text(encoding="utf-8")).get("encryption_key")
    return bool(key) and key != site.config.get("encryption_key")


def _free_stem(folder: Path, site_name: str) -> str:
    stamp = dt.datetime.now().strftime("%Y%m%d_%H%M%S")
    stem, counter = f"{stamp}-{site_name}", 1
    while (folder / f"{stem}{DATABASE_SUFFIX}").exists():
        counter += 1
        stem = f"{stamp}_{counter}-{site_name}"
    return stem


def _sibling(dump: Path, suffix: str) -> Path | None:
    """The file of the same backup with another suffix, when it exists."""
    name = dump.name
    for ending in (DATABASE_SUFFIX, "-database.sql"):
        if name.endswith(ending):
            candidate = dump.with_name(name[: -len(ending)] + suffix)
            return candidate if candidate.is_file() else None
    return None


def _check_readable(file: Path) -> bool:
    """Read the whole file once before anything is dropped; True when it is gzipped."""
    with file.open("rb") as raw:
        compressed = raw.read(2) == b"\x1f\x8b"
    if compressed:
        try:
            with gzip.open(file, "rb") as stream:
                while stream.read(1 << 20):
                    pass
        except (OSError, EOFError, zlib.error) as exc:
            raise SiteError(f"{file.name} rusak atau terpotong: {exc}") from exc
    return compressed


def _backend_of(file: Path, compressed: bool) -> str | None:
    """'sqlite' or 'mariadb' from our header line, else guessed from the first lines."""
    opener = gzip.open if compressed else open
    with opener(file, "rt", encoding="utf-8", errors="replace") as stream:
        head = stream.read(4096)
    first = head.split("\n", 1)[0]
    if first.startswith(HEADER_PREFIX):
        for part in first.split():
            if part.startswith("backend="):
                return part.removeprefix("backend=")
    if "MariaDB dump" in head or "MySQL dump" in head or "/*!40101" in head:
        return "mariadb"
    if "BEGIN TRANSACTION;" in head:
        return "sqlite"
    return None
