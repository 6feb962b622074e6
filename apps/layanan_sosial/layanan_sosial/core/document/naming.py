"""Naming of new documents (frappe_compat §1.2): prompt, field:, naming_series:, format:,
old-style series (`KSS-.YYYY.-.#####`), hash, autoincrement, controller `autoname()`.

Series counters live in `tabSeries`, keyed by the rendered prefix, and are incremented with
an atomic upsert that holds the row lock until commit, so concurrent inserts never share a
number (MariaDB row lock; SQLite's writer lock taken at BEGIN IMMEDIATE).
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..db.internal import series_table
from ..exceptions import MandatoryError, NameError_, ValidationError

if TYPE_CHECKING:
    from ..context import Context
    from .document import Document

SERIES_CHARS_RE = re.compile(r"^[\w\- /.#{}]+$", re.UNICODE)
HASH_ALPHABET = "0123456789abcdefghijklmnopqrstuv"  # base32 lower case


def make_hash(length: int = 10) -> str:
    return "".join(secrets.choice(HASH_ALPHABET) for _ in range(length))


def next_series_value(ctx: Context, key: str, count: int = 1) -> int:
    """Reserve `count` numbers of series `key`; returns the last one reserved.

    Inside a bulk insert the numbers come from blocks reserved once per key.
    """
    allocator = ctx.flags.series_allocator
    if allocator is not None:
        return allocator.request(ctx, key, count)
    return reserve_series_block(ctx, key, count)


def reserve_series_block(ctx: Context, key: str, count: int) -> int:
    """Atomically add `count` to the counter row (created when missing) in one round trip.

    MariaDB: LAST_INSERT_ID(expr) hands the new value back in the OK packet; SQLite: RETURNING.
    The row stays locked by this transaction until it ends, so numbers are never shared.
    """
    ctx.note_write()
    if ctx.site.is_mariadb:
        # SQLAlchemy only reports lastrowid for compiled INSERTs, so use the driver cursor
        # of this same connection (same transaction).
        cursor = ctx.conn.connection.dbapi_connection.cursor()
        try:
            cursor.execute(
                "INSERT INTO `tabSeries` (`name`, `current`) VALUES (?, LAST_INSERT_ID(?)) "
                "ON DUPLICATE KEY UPDATE `current` = LAST_INSERT_ID(`current` + ?)",
                (key, count, count),
            )
            return int(cursor.lastrowid)
        finally:
            cursor.close()
    stmt = sqlite_insert(series_table).values(name=key, current=count)
    stmt = stmt.on_conflict_do_update(
        index_elements=["name"], set_={"current": series_table.c.current + count}
    ).returning(series_table.c.current)
    return int(ctx.conn.execute(stmt).scalar_one())


def current_series_value(ctx: Context, key: str) -> int:
    value = ctx.conn.execute(
        sa.select(series_table.c.current).where(series_table.c.name == key)
    ).scalar()
    return int(value or 0)


_DATE_FORMATS = {"YY": "%y", "YYYY": "%Y", "MM": "%m", "DD": "%d"}


def _date_token(ctx: Context, token: str) -> str | None:
    fmt = _DATE_FORMATS.get(token)
    if fmt is not None:
        return ctx.now().strftime(fmt)
    if token == "WW":
        return f"{ctx.now().isocalendar()[1]:02d}"
    if token == "timestamp":
        return str(int(ctx.now().timestamp()))
    return None


def _field_token(doc: Document, token: str) -> str | None:
    key = token[1:-1] if token.startswith("{") and token.endswith("}") else token
    if doc.meta.has_field(key):
        value = doc.get(key)
        if value in (None, ""):
            raise ValidationError(f"{doc.meta.name}: {key} dibutuhkan untuk penomoran", field=key)
        return str(value)
    return None


def render_series(doc: Document, pattern: str, *, count: int = 1) -> list[str]:
    """Render an old-style series pattern; reserves `count` consecutive numbers."""
    if "." not in pattern:
        pattern = pattern + ".#####"
    if not SERIES_CHARS_RE.match(pattern):
        raise NameError_(f"penomoran {pattern!r} memuat karakter yang tidak diizinkan")
    prefix_parts: list[str] = []
    suffix_parts: list[str] = []
    digits = 0
    for token in pattern.split("."):
        if not token:
            continue
        if token.startswith("#") and set(token) == {"#"} and not digits:
            digits = len(token)
            continue
        rendered = _date_token(doc.ctx, token)
        if rendered is None:
            rendered = _field_token(doc, token)
        if rendered is None:
            rendered = token
        (suffix_parts if digits else prefix_parts).append(rendered)
    prefix = "".join(prefix_parts)
    suffix = "".join(suffix_parts)
    if not digits:
        return [prefix + suffix]
    allocator = doc.ctx.flags.series_allocator
    if allocator is not None:  # a bulk insert may name the real documents from these parts
        allocator.parts = (prefix, digits, suffix)
    last = next_series_value(doc.ctx, prefix, count)
    return [f"{prefix}{n:0{digits}d}{suffix}" for n in range(last - count + 1, last + 1)]


FORMAT_TOKEN_RE = re.compile(r"\{([^{}]+)\}")


def render_format(doc: Document, pattern: str, *, count: int = 1) -> list[str]:
    """`format:KSS-{YYYY}-{wilayah}-{#####}`: tokens replaced, counter keyed by the text before it."""
    parts: list[str] = []
    digits = 0
    position = 0
    for match in FORMAT_TOKEN_RE.finditer(pattern):
        parts.append(pattern[position : match.start()])
        token = match.group(1)
        position = match.end()
        if set(token) == {"#"}:
            digits = len(token)
            prefix = "".join(parts)
            last = next_series_value(doc.ctx, prefix, count)
            rest = (
                render_format(doc, pattern[position:])[0]
                if "{" in pattern[position:]
                else pattern[position:]
            )
            return [f"{prefix}{n:0{digits}d}{rest}" for n in range(last - count + 1, last + 1)]
        rendered = _date_token(doc.ctx, token)
        if rendered is None:
            rendered = _field_token(doc, token)
        parts.append(rendered if rendered is not None else token)
    parts.append(pattern[position:])
    return ["".join(parts)] * count


def amended_name(ctx: Context, doc: Document) -> str:
    source = str(doc.get("amended_from"))
    from .persistence import load_row

    stored = load_row(ctx, doc.meta, source)
    if stored and stored.get("amended_from"):
        base, _, number = source.rpartition("-")
        if number.isdigit():
            return f"{base}-{int(number) + 1}"
    return f"{source}-1"


def naming_series_pattern(doc: Document) -> str:
    series = doc.get("naming_series")
    if not series:
        df = doc.meta.get_field("naming_series")
        options = df.select_options if df is not None else []
        series = options[0] if options else ""
        doc.set("naming_series", series)
    if not series:
        raise NameError_(f"{doc.meta.name}: naming series belum diisi", field="naming_series")
    return series if "#" in series else series.rstrip(".") + ".#####"


def set_new_name(doc: Document, set_name: Any = None) -> None:
    """Give a new document its name following the DocType's rule."""
    meta = doc.meta
    ctx = doc.ctx
    if set_name not in (None, ""):
        doc.name = str(set_name).strip()
    elif meta.issingle:
        doc.name = meta.name
    elif doc.get("amended_from"):
        doc.name = amended_name(ctx, doc)
    elif callable(getattr(type(doc), "autoname", None)):
        doc.run_method("autoname")
    else:
        doc.name = _name_by_rule(doc, meta.autoname)
    validate_name(doc)


def _name_by_rule(doc: Document, rule: str) -> Any:
    lowered = rule.lower()
    if lowered == "prompt":
        name = doc.get("name") or doc.flags.newname
        if not name or not str(name).strip():
            raise NameError_("Nama dokumen harus diisi", field="name")
        return str(name).strip()
    if lowered == "autoincrement":
        return next_series_value(doc.ctx, f"__autoincrement__{doc.meta.name}")
    if lowered.startswith("field:"):
        fieldname = rule.split(":", 1)[1].strip()
        value = doc.get(fieldname)
        if value in (None, "") or not str(value).strip():
            df = doc.meta.get_field(fieldname)
            label = df.label if df else fieldname
            raise MandatoryError(
                f"{doc.meta.name}: {label} wajib diisi (dipakai sebagai nama)",
                field=fieldname,
                fields=[fieldname],
            )
        return str(value).strip()
    if lowered.startswith("naming_series:"):
        return render_series(doc, naming_series_pattern(doc))[0]
    if lowered.startswith("format:"):
        return render_format(doc, rule.split(":", 1)[1])[0]
    if "#" in rule:
        return render_series(doc, rule)[0]
    return make_hash()


def validate_name(doc: Document) -> None:
    name = doc.name
    if isinstance(name, int):
        return
    if name is None or not str(name).strip():
        raise NameError_("Nama dokumen tidak boleh kosong", field="name")
    text = str(name).strip()
    if "<" in text or ">" in text:
        raise NameError_("Nama dokumen tidak boleh memuat < atau >", field="name")
    if text == doc.meta.name and not doc.meta.issingle:
        raise NameError_(f"Nama dokumen tidak boleh sama dengan {doc.meta.name}", field="name")
    if len(text) > 140:
        raise NameError_("Nama dokumen lebih dari 140 karakter", field="name")
    doc.name = text
