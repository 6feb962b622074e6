"""Archive and restore a site's public and private files (`--with-files`)."""

from __future__ import annotations

import shutil
import tarfile
from pathlib import Path, PurePosixPath

from ..exceptions import SiteError
from ..site import Site

FOLDERS = ("public/files", "private/files")


def archive_files(site: Site, target: Path) -> None:
    with tarfile.open(target, "w:gz") as tar:
        for folder in FOLDERS:
            path = site.path / folder
            path.mkdir(parents=True, exist_ok=True)
            tar.add(path, arcname=folder)


def restore_files(site: Site, archive: Path) -> None:
    """Replace public/files and private/files with the archive's (members checked first)."""
    staging = site.path / ".restoring-files"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                _check_member(member)
            if hasattr(tarfile, "data_filter"):
                tar.extractall(staging, members=members, filter="data")
            else:
                tar.extractall(staging, members=members)  # noqa: S202 - checked above
        for folder in FOLDERS:
            current = site.path / folder
            shutil.rmtree(current, ignore_errors=True)
            current.parent.mkdir(parents=True, exist_ok=True)
            incoming = staging / folder
            if incoming.is_dir():
                shutil.move(incoming, current)
            else:
                current.mkdir(parents=True)
    except tarfile.TarError as exc:
        raise SiteError(f"arsip berkas {archive.name} rusak: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_member(member: tarfile.TarInfo) -> None:
    """Only plain files and folders under public/files or private/files (Debian 12's
    Python 3.11.2 has no tarfile extraction filters yet, so we check ourselves)."""
    path = PurePosixPath(member.name)
    inside = any(path == PurePosixPath(f) or PurePosixPath(f) in path.parents for f in FOLDERS)
    if path.is_absolute() or ".." in path.parts or not inside:
        raise SiteError(f"arsip berkas memuat jalur terlarang: {member.name}")
    if not (member.isfile() or member.isdir()):
        raise SiteError(f"arsip berkas memuat tautan atau perangkat: {member.name}")
