"""`layanan console` and `layanan execute`: Python inside an initialised site."""

from __future__ import annotations

import code
import importlib
import inspect
import json
from collections.abc import Callable
from typing import Any

import click

from .common import command_registry, current_site
from .errors import fail

COMMANDS: list[click.Command] = []
command = command_registry(COMMANDS)


@command("console")
def console(click_ctx: click.Context) -> None:
    """An interactive Python shell with `site` and `ctx` (Administrator, one transaction)."""
    from ..context import Context

    site = current_site(click_ctx)
    ctx = Context.open(site, user="Administrator", write=True, flags={})
    banner = (
        f"Layanan Sosial Terpadu — situs {site.name}.\n"
        "`ctx` terbuka sebagai Administrator: ctx.commit() untuk menyimpan; "
        "yang belum di-commit dibatalkan saat keluar."
    )
    try:
        code.interact(banner=banner, local={"site": site, "ctx": ctx}, exitmsg="")
    finally:
        ctx.close()


@command("execute")
@click.argument("method")
@click.option("--kwargs", "kwargs_json", default="{}", help="keyword arguments as a JSON object")
def execute(click_ctx: click.Context, method: str, kwargs_json: str) -> None:
    """Call a function inside the site and print its result as JSON.

    As `bench execute`: the function gets the --kwargs, plus `ctx` (Administrator, one
    transaction) when it has a parameter of that name; the transaction commits when the
    function returns and rolls back when it raises."""
    kwargs = _parse_kwargs(kwargs_json)
    fn = _resolve(method)
    wants_ctx = _accepts_ctx(fn)
    try:
        inspect.signature(fn).bind(**kwargs, **({"ctx": None} if wants_ctx else {}))
    except TypeError as exc:
        fail(f"argumen untuk {method} tidak cocok: {exc}", hint="periksa kunci di --kwargs")
    except ValueError:
        pass  # builtins without a signature: let the call decide
    site = current_site(click_ctx)
    with site.begin() as ctx:
        result = fn(**kwargs, ctx=ctx) if wants_ctx else fn(**kwargs)
    click.echo(_to_json(result))


def _parse_kwargs(text: str) -> dict[str, Any]:
    try:
        kwargs = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(
            f"--kwargs bukan JSON yang valid: {exc.msg} (kolom {exc.colno})",
            hint='contoh: --kwargs \'{"user": "Administrator"}\'',
        )
    if not isinstance(kwargs, dict):
        fail("--kwargs harus objek JSON", hint='contoh: --kwargs \'{"user": "Administrator"}\'')
    return kwargs


def _resolve(method: str) -> Callable[..., Any]:
    module_name, _, attr = method.rpartition(".")
    hint = "tulis jalur lengkap, mis. layanan_sosial.core.users.get_roles"
    if not module_name:
        fail(f"{method!r} bukan jalur bertitik ke sebuah fungsi", hint=hint)
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            fail(f"modul {module_name} tidak ditemukan", hint=hint)
        raise
    fn = getattr(module, attr, None)
    if not callable(fn):
        fail(f"{module_name} tidak punya fungsi {attr}", hint=hint)
    return fn


def _accepts_ctx(fn: Callable[..., Any]) -> bool:
    try:
        return "ctx" in inspect.signature(fn).parameters
    except ValueError:
        return False


def _to_json(result: Any) -> str:
    from ..api.responses import dumps

    if hasattr(result, "as_dict"):
        result = result.as_dict()
    try:
        return dumps(result).decode()
    except TypeError:
        return json.dumps(result, default=str, ensure_ascii=False)
