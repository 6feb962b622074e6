"""`/api/method/<path>` (v1, `{"message": …}`) and `/api/v2/method/<path>` (`{"data": …}`)."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import Response

from ..exceptions import DoesNotExistError, PermissionError_
from . import auth_methods, responses
from .registry import Method, get_method
from .runner import Call

SPECIAL = {
    "login": auth_methods.login,
    "logout": auth_methods.logout,
    "frappe.auth.get_logged_user": auth_methods.get_logged_user,
}


def _ping(call: Call) -> Response:
    return responses.message("pong")


SPECIAL["ping"] = _ping


def _run_doc_method(call: Call) -> Response:
    """`run_doc_method` / `runserverobj`: call a whitelisted controller method on a document
    sent whole (`docs`, its `modified` is checked on save) or named (`dt`, `dn`)."""
    from .request_args import json_arg

    ctx, args = call.ctx, call.args
    method = str(args.get("method") or "")
    docs = json_arg(args.get("docs"), "docs")
    if isinstance(docs, dict):
        doc = ctx.get_doc(docs["doctype"], docs.get("name"), for_update=True)
        from .documents import check_body

        doc.update(check_body(ctx, doc.meta, docs))
    elif args.get("dt") and args.get("dn"):
        doc = ctx.get_doc(str(args["dt"]), args["dn"], for_update=True)
    else:
        raise DoesNotExistError("run_doc_method membutuhkan docs atau dt dan dn")
    fn = getattr(doc, method, None)
    if fn is None or not getattr(fn, "whitelisted", False):
        raise PermissionError_(f"Method {method} is not whitelisted")
    ctx.check_permission(doc.doctype, "read" if call.info.method == "GET" else "write", doc)
    kwargs = json_arg(args.get("args"), "args")
    result = fn(**kwargs) if isinstance(kwargs, dict) else fn()
    from .documents import doc_out

    return responses.JSONResponse({"docs": [doc_out(ctx, doc)], "message": _unwrap(result)})


SPECIAL["run_doc_method"] = _run_doc_method
SPECIAL["runserverobj"] = _run_doc_method


def _arguments(method: Method, args: dict[str, Any]) -> dict[str, Any]:
    """Pick the function's parameters by name; unknown args are ignored like Frappe."""
    if method.accepts_any_kwargs:
        return {k: v for k, v in args.items() if k not in ("cmd", "csrf_token", "sid")}
    wanted = set(method.parameters)
    return {k: v for k, v in args.items() if k in wanted}


def call_method(call: Call, path: str) -> Any:
    """Run a whitelisted method as the request's user; raise 403/404 like Frappe."""
    method = get_method(path, call.ctx.site.apps)
    if method is None:
        raise (
            PermissionError_(f"Function {path} is not whitelisted.")
            if "." in path
            else DoesNotExistError(f"Method {path} not found")
        )
    if call.info.method not in method.methods and call.info.method != "HEAD":
        raise PermissionError_(f"Method {path} tidak menerima {call.info.method}")
    if call.auth.user == "Guest" and not method.allow_guest:  # 403 like Frappe, never 401
        raise PermissionError_(f"Not permitted: log in to call {path}")
    kwargs = _arguments(method, call.args)
    missing = [p for p, required in _required(method) if required and p not in kwargs]
    if missing:
        from ..exceptions import ValidationError

        raise ValidationError(f"{path}: argumen wajib belum diisi: {', '.join(missing)}")
    return method.fn(call.ctx, **kwargs)


def _required(method: Method) -> list[tuple[str, bool]]:
    import inspect

    params = list(inspect.signature(method.fn).parameters.values())[1:]
    return [
        (p.name, p.default is inspect.Parameter.empty)
        for p in params
        if p.kind not in (inspect.Parameter.VAR_KEYWORD, inspect.Parameter.VAR_POSITIONAL)
    ]


def method_v1(call: Call) -> Response:
    path = call.path["path"].strip("/")
    if path in SPECIAL:
        return SPECIAL[path](call)
    result = call_method(call, path)
    if isinstance(result, Response):  # a file download (e.g. export_query)
        return result
    return responses.message(_unwrap(result))


def method_v2(call: Call) -> Response:
    path = call.path["path"].strip("/")
    if path in SPECIAL:
        response = SPECIAL[path](call)
        return response
    result = call_method(call, path)
    if isinstance(result, Response):
        return result
    return responses.data(_unwrap(result))


def legacy_cmd(call: Call) -> Response:
    """Old clients post `cmd=<method>` to the site root (frappe-client's login, delete...)."""
    cmd = str(call.args.get("cmd") or "").strip()
    if not cmd:
        raise DoesNotExistError("Tidak ada cmd")
    call.path["path"] = cmd
    return method_v1(call)


def _unwrap(value: Any) -> Any:
    if hasattr(value, "as_dict") and hasattr(value, "meta"):
        return value.as_dict(no_nulls=True)
    if isinstance(value, UploadFile):
        return None
    return value
