"""Frappe's response envelopes and error bodies (frappe_compat §6.5–6.6), as JSON.

v1: `{"data": …}` for resources, `{"message": …}` for methods; errors carry `exc_type`,
`exception` and a double-encoded `_server_messages`. v2: `{"data": …}` and
`{"errors": [{type, message, title, indicator}]}`. Additive: `_field_errors` (v1) /
`errors[].field` (v2) say which field an error is about, for forms.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import orjson
from starlette.responses import Response

from ..exceptions import LayananError
from ..fieldtypes import to_json_value

log = logging.getLogger(__name__)

JSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    converted = to_json_value(value)
    if converted is value:
        if isinstance(value, set | frozenset | tuple):
            return list(value)
        raise TypeError(f"not JSON serialisable: {type(value).__name__}")
    return converted


def dumps(payload: Any) -> bytes:
    return orjson.dumps(payload, default=_default, option=JSON_OPTIONS)


class JSONResponse(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)


def data(payload: Any, status: int = 200, **extra: Any) -> JSONResponse:
    return JSONResponse({"data": payload, **extra}, status_code=status)


def message(payload: Any) -> JSONResponse:
    """v1 RPC envelope; a None result gives `{}` like Frappe."""
    return JSONResponse({} if payload is None else {"message": payload})


TITLES = {
    400: "Permintaan tidak valid",
    401: "Belum masuk",
    403: "Tidak diizinkan",
    404: "Tidak ditemukan",
    409: "Sudah ada",
    413: "Terlalu besar",
    417: "Pesan",
    429: "Terlalu banyak permintaan",
    500: "Kesalahan server",
}


def error(
    exc: BaseException, *, v2: bool = False, show_traceback: bool = False, **extra: Any
) -> JSONResponse:
    """The error answer; `extra` keys are added to a v1 body (e.g. login's `message`)."""
    if isinstance(exc, LayananError):
        status, kind, text = exc.http_status, exc.type_name, exc.message or exc.type_name
        field_errors = exc.errors
    else:  # unexpected: logged with traceback, the client gets no internals
        log.exception("unhandled error in API request", exc_info=exc)
        status, kind, text, field_errors = 500, "Exception", "Terjadi kesalahan di server", []
    title = TITLES.get(status, "Pesan")
    msg = {"message": text, "title": title, "indicator": "red", "raise_exception": 1}
    if v2:
        errors = [{"type": kind, "message": text, "title": title, "indicator": "red"}]
        for item in field_errors:
            errors.append(
                {
                    "type": kind,
                    "message": item.get("message"),
                    "field": item.get("field"),
                    "row": item.get("row"),
                    "title": title,
                    "indicator": "red",
                }
            )
        return JSONResponse({"errors": errors, "messages": [msg]}, status_code=status)
    body: dict[str, Any] = {
        "exc_type": kind,
        "exception": f"frappe.exceptions.{kind}: {text}",
        "_server_messages": json.dumps([json.dumps(msg)]),
        "_error_message": text,
    }
    if field_errors:
        body["_field_errors"] = field_errors
    body.update(extra)
    if show_traceback and not isinstance(exc, LayananError):
        import traceback

        body["exc"] = json.dumps(["".join(traceback.format_exception(exc))])
    return JSONResponse(body, status_code=status)
