"""Files: stored under sites/<site>/public/files (served to anyone) or private/files (served
only to users who may read the File record: its owner, System Manager-like roles through
DocPerms, or anyone who may read the document it is attached to)."""

from __future__ import annotations

import hashlib
import mimetypes
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .exceptions import DataError, PayloadTooLargeError, PermissionError_

if TYPE_CHECKING:
    from .context import Context
    from .document.document import Document
    from .site import Site

DEFAULT_MAX_FILE_SIZE = 25 * 1024 * 1024
WEBSITE_USER_TYPES = ("image/", "application/pdf", "text/plain", "text/csv")
_SAFE = re.compile(r"[^A-Za-z0-9._\- ]+")


def clean_name(name: str) -> str:
    base = Path(str(name).replace("\\", "/")).name.strip().lstrip(".")
    base = _SAFE.sub("_", base)[:140]
    if not base:
        raise DataError("Nama berkas tidak valid", field="file_name")
    return base


def folder_of(site: Site, is_private: bool) -> Path:
    return site.private_files_path if is_private else site.files_path


def url_for(name: str, is_private: bool) -> str:
    return ("/private/files/" if is_private else "/files/") + name


def path_of(site: Site, file_url: str) -> Path | None:
    """The stored path of a /files or /private/files URL (None for anything else)."""
    for prefix, private in (("/private/files/", True), ("/files/", False)):
        if file_url.startswith(prefix):
            name = file_url[len(prefix) :]
            if "/" in name or name.startswith(".") or not name:
                return None
            return folder_of(site, private) / name
    return None


def _unique_name(folder: Path, name: str, digest: str) -> str:
    target = folder / name
    if not target.exists() or hashlib.sha256(target.read_bytes()).hexdigest() == digest:
        return name
    stem, dot, ext = name.rpartition(".")
    return f"{stem or ext}-{digest[:6]}{dot}{ext if stem else ''}"


def save_file(
    ctx: Context,
    content: bytes,
    file_name: str,
    *,
    is_private: bool = True,
    folder: str = "Home",
    attached_to_doctype: str | None = None,
    attached_to_name: Any = None,
    attached_to_field: str | None = None,
) -> Document:
    """Write the bytes (after commit-safe naming) and insert the File record."""
    limit = int(ctx.site.config.get("max_file_size") or DEFAULT_MAX_FILE_SIZE)
    if len(content) > limit:
        raise PayloadTooLargeError(f"Berkas melebihi {limit // 1024 // 1024} MB")
    name = clean_name(file_name)
    mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if (
        ctx.user != "Administrator"
        and _is_website_user(ctx)
        and not mime.startswith(WEBSITE_USER_TYPES)
    ):
        raise PermissionError_(f"Jenis berkas {mime} tidak diizinkan")
    digest = hashlib.sha256(content).hexdigest()
    target_folder = folder_of(ctx.site, is_private)
    target_folder.mkdir(parents=True, exist_ok=True)
    name = _unique_name(target_folder, name, digest)
    path = target_folder / name
    if not path.exists():
        path.write_bytes(content)
        ctx.after_rollback(lambda: path.unlink(missing_ok=True))  # nothing left on failure
    doc = ctx.new_doc(
        "File",
        file_name=name,
        file_url=url_for(name, is_private),
        is_private=int(is_private),
        file_size=len(content),
        content_hash=digest,
        mime_type=mime,
        folder=folder or "Home",
        attached_to_doctype=attached_to_doctype,
        attached_to_name=attached_to_name,
        attached_to_field=attached_to_field,
    )
    return doc.insert()


def _is_website_user(ctx: Context) -> bool:
    with ctx.ignore_permissions():
        return ctx.get_value("User", ctx.user, "user_type") == "Website User"


def can_read(ctx: Context, file_doc: dict[str, Any]) -> bool:
    if not file_doc.get("is_private") or not ctx.enforce_permissions:
        return True
    if file_doc.get("owner") == ctx.user or ctx.has_permission("File", "read", file_doc):
        return True
    doctype, name = file_doc.get("attached_to_doctype"), file_doc.get("attached_to_name")
    if doctype and name and ctx.doctype_exists(doctype):
        with ctx.ignore_permissions():
            if not ctx.exists(doctype, name):
                return False
            attached = ctx.get_doc(doctype, name)
        return ctx.has_permission(doctype, "read", attached)
    return False
