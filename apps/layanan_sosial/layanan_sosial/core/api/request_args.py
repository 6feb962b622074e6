"""Read a request's arguments the way Frappe does (frappe_compat §6.1): a JSON body IS the
argument dict (query args not merged; a JSON array becomes `data`); otherwise — an empty
JSON body included, as Frappe's `make_form_dict` does — query args and form fields are merged. Bodies over the size limit are refused before parsing."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.datastructures import UploadFile
from starlette.requests import Request

from ..exceptions import BadRequestError, PayloadTooLargeError

DEFAULT_MAX_BODY = 10 * 1024 * 1024
DEFAULT_MAX_UPLOAD = 25 * 1024 * 1024


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(f"Isi permintaan melebihi {limit // 1024 // 1024} MB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"Isi permintaan melebihi {limit // 1024 // 1024} MB")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_args(
    request: Request, *, max_body: int = DEFAULT_MAX_BODY, max_upload: int = DEFAULT_MAX_UPLOAD
) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.method in ("GET", "HEAD") or not content_type:
        args: dict[str, Any] = dict(request.query_params)
        if request.method not in ("GET", "HEAD"):
            body = await _body(request, max_body)
            if body.strip():
                args.update(_json_args(body))
        return args
    if content_type == "application/json" or content_type.endswith("+json"):
        body = await _body(request, max_body)
        if not body.strip():  # e.g. axios DELETE with params: Frappe reads the query then
            return dict(request.query_params)
        return _json_args(body)
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        limit = max_upload if content_type == "multipart/form-data" else max_body
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLargeError(f"Isi permintaan melebihi {limit // 1024 // 1024} MB")
        try:
            form = await request.form(max_part_size=limit)
        except Exception as exc:  # malformed multipart: the client's fault, say so
            raise BadRequestError(f"Form tidak dapat dibaca: {exc}") from exc
        args = dict(request.query_params)
        for key, value in form.multi_items():
            args[key] = value if not isinstance(value, UploadFile) else value
        return args
    raise BadRequestError(f"Content-Type {content_type!r} tidak didukung; gunakan application/json")


def _json_args(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        parsed = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise BadRequestError(f"JSON tidak valid: {exc}") from exc
    if isinstance(parsed, dict):
        return parsed
    if isinstance(parsed, list):
        return {"data": parsed}
    raise BadRequestError("Isi JSON harus berupa objek")


def json_arg(value: Any, name: str) -> Any:
    """An argument that may arrive as a JSON string (query/form) or already parsed."""
    if isinstance(value, str):
        text = value.strip()
        if text[:1] in ("{", "["):
            try:
                return orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                raise BadRequestError(f"{name}: JSON tidak valid ({exc})") from exc
    return value
