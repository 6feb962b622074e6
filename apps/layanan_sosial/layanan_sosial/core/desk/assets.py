"""Static files of the desk: its own CSS/JS (static/) and the npm packages installed into
frontend/node_modules at set-up (`npm ci --prefix …/core/desk/frontend`)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

HERE = Path(__file__).parent
STATIC = HERE / "static"
NODE_MODULES = HERE / "frontend" / "node_modules"
VENDOR = {
    "htmx.min.js": NODE_MODULES / "htmx.org" / "dist" / "htmx.min.js",
    "alpine.min.js": NODE_MODULES / "alpinejs" / "dist" / "cdn.min.js",
    # Text Editor fields (static/editor.js loads these only on a form that has one)
    "quill.js": NODE_MODULES / "quill" / "dist" / "quill.js",
    "quill.snow.css": NODE_MODULES / "quill" / "dist" / "quill.snow.css",
}


def mount(app: FastAPI) -> None:
    app.mount("/assets/desk/npm", StaticFiles(directory=NODE_MODULES, check_dir=False), "desk-npm")
    app.mount("/assets/desk", StaticFiles(directory=STATIC, check_dir=False), "desk-static")


def vendor_url(name: str) -> str:
    path = VENDOR[name]
    return "/assets/desk/npm/" + path.relative_to(NODE_MODULES).as_posix()
