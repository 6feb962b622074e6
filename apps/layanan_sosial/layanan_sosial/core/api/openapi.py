"""OpenAPI 3 document generated from the site's merged meta at request time, so a Custom
Field or a new DocType appears at once. Lists only DocTypes the caller may read; a small
HTML page at /api/docs renders it without third-party assets."""

from __future__ import annotations

import html
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..exceptions import PermissionError_
from ..fieldtypes import DATE_TYPES, DECIMAL_TYPES, INT_TYPES
from ..permissions import has_permission, readable_fieldnames
from . import responses
from .runner import Call, run

LIST_PARAMS = [
    ("fields", 'JSON list, e.g. ["name","nama_lengkap"]; default ["name"]'),
    ("filters", 'JSON: [["field","op","value"]] or {"field": "value"}'),
    ("or_filters", "JSON, same shapes, OR-ed"),
    ("order_by", '"field asc|desc, ..."'),
    ("group_by", "field"),
    ("limit_start", "offset, default 0"),
    ("limit_page_length", "page size, default 20, 0 = all"),
    ("with_count", "1 adds the total count (our addition)"),
    ("with_child_rows", "1 adds child table rows to each row (our addition)"),
]


def _schema(fieldtype: str, options: str = "") -> dict[str, Any]:
    if fieldtype == "Check":
        return {"type": "integer", "enum": [0, 1]}
    if fieldtype in INT_TYPES:
        return {"type": "integer"}
    if fieldtype in DECIMAL_TYPES or fieldtype == "Rating":
        return {"type": "number"}
    if fieldtype == "Date":
        return {"type": "string", "format": "date"}
    if fieldtype in DATE_TYPES:
        return {"type": "string", "description": fieldtype}
    if fieldtype == "JSON":
        return {}
    if fieldtype == "Select" and options:
        return {"type": "string", "enum": [o for o in options.split("\n") if o.strip()] or None}
    return {"type": "string"}


def doctype_schema(call: Call, doctype: str) -> dict[str, Any]:
    ctx = call.ctx
    meta = ctx.get_meta(doctype)
    readable = readable_fieldnames(ctx, meta)
    props: dict[str, Any] = {"name": {"type": "string"}}
    required = []
    for df in meta.fields:
        if df.fieldname not in readable:
            continue
        if df.is_table:
            props[df.fieldname] = {
                "type": "array",
                "items": {"$ref": f"#/components/schemas/{_ref(df.options)}"},
            }
        elif df.has_column:
            prop = _schema(df.fieldtype, df.options)
            prop["title"] = df.label
            if df.fieldtype in ("Link", "Dynamic Link"):
                prop["description"] = f"{df.fieldtype} → {df.options}"
            props[df.fieldname] = prop
        else:
            continue
        if df.flag("reqd"):
            required.append(df.fieldname)
    schema: dict[str, Any] = {"type": "object", "title": doctype, "properties": props}
    if required:
        schema["required"] = required
    return schema


def _ref(doctype: str) -> str:
    return doctype.replace(" ", "_")


def build_spec(call: Call) -> dict[str, Any]:
    ctx = call.ctx
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for doctype in sorted(ctx.all_doctypes()):
        meta = ctx.get_meta(doctype)
        if meta.istable or not has_permission(ctx, doctype, "read"):
            continue
        schemas[_ref(doctype)] = doctype_schema(call, doctype)
        for df in meta.table_fields:
            schemas.setdefault(_ref(df.options), doctype_schema(call, df.options))
        ref = {"$ref": f"#/components/schemas/{_ref(doctype)}"}
        one = {
            "content": {
                "application/json": {"schema": {"type": "object", "properties": {"data": ref}}}
            }
        }
        base = f"/api/resource/{doctype}"
        if meta.issingle:
            paths[f"{base}/{doctype}"] = {
                "get": {
                    "summary": f"{doctype} (single)",
                    "tags": [doctype],
                    "responses": {"200": one},
                }
            }
            continue
        paths[base] = {
            "get": {
                "summary": f"Daftar {doctype}",
                "tags": [doctype],
                "parameters": [
                    {"name": n, "in": "query", "schema": {"type": "string"}, "description": d}
                    for n, d in LIST_PARAMS
                ],
                "responses": {"200": {"description": "rows"}},
            },
            "post": {
                "summary": f"Buat {doctype}",
                "tags": [doctype],
                "requestBody": {"content": {"application/json": {"schema": ref}}},
                "responses": {"200": one, "417": {"description": "validation error"}},
            },
        }
        name_param = [
            {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
        ]
        paths[base + "/{name}"] = {
            "get": {
                "summary": f"Baca {doctype}",
                "tags": [doctype],
                "parameters": name_param,
                "responses": {"200": one, "404": {"description": "not found"}},
            },
            "put": {
                "summary": f"Ubah {doctype} (sebagian)",
                "tags": [doctype],
                "parameters": name_param,
                "requestBody": {"content": {"application/json": {"schema": ref}}},
                "responses": {"200": one},
            },
            "delete": {
                "summary": f"Hapus {doctype}",
                "tags": [doctype],
                "parameters": name_param,
                "responses": {"202": {"description": "ok"}},
            },
        }
    paths["/api/method/login"] = {
        "post": {
            "summary": "Masuk (usr, pwd) → cookie sid",
            "tags": ["auth"],
            "responses": {"200": {"description": "Logged In"}, "401": {"description": "invalid"}},
        }
    }
    paths["/api/method/logout"] = {
        "post": {"summary": "Keluar", "tags": ["auth"], "responses": {"200": {"description": "ok"}}}
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": f"Layanan Sosial Terpadu — {ctx.site.name}",
            "version": "1",
            "description": "Frappe-compatible REST API",
        },
        "servers": [{"url": "/"}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "token <api_key>:<api_secret>",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": "sid"},
            },
        },
        "security": [{"token": []}, {"session": []}],
        "paths": paths,
    }


def _spec(call: Call) -> Response:
    if call.auth.user == "Guest":
        raise PermissionError_("Masuk dahulu untuk melihat dokumentasi API")
    return responses.JSONResponse(build_spec(call))


async def openapi_json(request: Request) -> Response:
    return await run(request, _spec)


def _docs(call: Call) -> Response:
    if call.auth.user == "Guest":
        return HTMLResponse(
            '<p>Masuk dahulu: <a href="/login?redirect-to=/api/docs">/login</a></p>',
            status_code=403,
        )
    spec = build_spec(call)
    parts = [
        f"<h1>{html.escape(spec['info']['title'])}</h1><p>Spesifikasi: <a href='/api/openapi.json'>/api/openapi.json</a>. "
        "Autentikasi: header <code>Authorization: token api_key:api_secret</code> atau cookie sesi.</p>"
    ]
    for path, operations in spec["paths"].items():
        for verb, op in operations.items():
            parts.append(
                f"<h3><code>{verb.upper()} {html.escape(path)}</code></h3><p>{html.escape(op.get('summary', ''))}</p>"
            )
    for name, schema in spec["components"]["schemas"].items():
        rows = "".join(
            f"<tr><td><code>{html.escape(k)}</code></td><td>{html.escape(str(v.get('title', '')))}</td>"
            f"<td>{html.escape(str(v.get('type', v.get('description', ''))))}</td></tr>"
            for k, v in schema["properties"].items()
        )
        parts.append(
            f"<h2 id='{html.escape(name)}'>{html.escape(schema['title'])}</h2><table>{rows}</table>"
        )
    page = (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'><title>API</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse}td{border:1px solid #ccc;padding:.2rem .5rem}</style></head><body>"
        + "".join(parts)
        + "</body></html>"
    )
    return HTMLResponse(page)


async def docs_page(request: Request) -> Response:
    return await run(request, _docs)
