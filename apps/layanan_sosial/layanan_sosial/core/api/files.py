"""`upload_file` (multipart, Frappe's parameters) and file downloads with permission checks."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from ..exceptions import DataError, DoesNotExistError, PermissionError_
from ..files import can_read, path_of, save_file
from .documents import doc_out
from .registry import whitelist
from .runner import Call, run


def _flag(value: Any, default: bool) -> bool:
    if value in (None, ""):
        return default
    return str(value).strip().lower() in ("1", "true", "yes")


@whitelist(path="upload_file", methods=("POST",), allow_guest=True)
def upload_file(
    ctx: Any,
    file: Any = None,
    is_private: Any = None,
    folder: str = "Home",
    doctype: str | None = None,
    docname: Any = None,
    fieldname: str | None = None,
    file_url: str | None = None,
    file_name: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    if ctx.user == "Guest" and not ctx.site.config.get("allow_guests_to_upload_files"):
        raise PermissionError_("Tamu tidak boleh mengunggah berkas")
    attached = None
    if doctype and docname:
        attached = ctx.get_doc(doctype, docname, for_update=True)
        ctx.check_permission(doctype, "write", attached)
    if file_url and not isinstance(file, UploadFile):  # a link to an already stored file
        if path_of(ctx.site, file_url) is None and not file_url.startswith(("http://", "https://")):
            raise DataError("file_url tidak valid", field="file_url")
        doc = ctx.new_doc(
            "File",
            file_name=file_name or file_url.rsplit("/", 1)[-1],
            file_url=file_url,
            is_private=int(file_url.startswith("/private/")),
            folder=folder,
            attached_to_doctype=doctype,
            attached_to_name=docname,
            attached_to_field=fieldname,
        ).insert()
    else:
        if not isinstance(file, UploadFile):
            raise DataError("Tidak ada berkas yang diunggah (field 'file')", field="file")
        content = file.file.read()
        doc = save_file(
            ctx,
            content,
            file_name or file.filename or "berkas",
            is_private=_flag(is_private, True),
            folder=folder,
            attached_to_doctype=doctype,
            attached_to_name=docname,
            attached_to_field=fieldname,
        )
    if attached is not None and fieldname:
        df = attached.meta.get_field(fieldname)
        if df is None or df.fieldtype not in ("Attach", "Attach Image"):
            raise DataError(f"{fieldname} bukan field lampiran {doctype}", field=fieldname)
        attached.set(fieldname, doc.file_url)
        attached.save()
    return doc_out(ctx, doc)


def _download(call: Call, private: bool) -> Response:
    name = call.path["name"]
    file_url = ("/private/files/" if private else "/files/") + name
    path = path_of(call.ctx.site, file_url)
    if path is None or not path.is_file():
        raise DoesNotExistError("Berkas tidak ditemukan")
    if private:
        with call.ctx.ignore_permissions():
            rows = call.ctx.get_all(
                "File", filters={"file_url": file_url}, fields=["*"], limit_page_length=20
            )
        if not rows or not any(can_read(call.ctx, row) for row in rows):
            raise PermissionError_("Tidak diizinkan membuka berkas ini")
    return FileResponse(
        path, headers={"Cache-Control": "private, max-age=0" if private else "public, max-age=3600"}
    )


async def public_file(request: Request) -> Response:
    return await run(request, lambda call: _download(call, False))


async def private_file(request: Request) -> Response:
    return await run(request, lambda call: _download(call, True))
