"""Query Reports: an administrator's raw SQL, checked and run read-only.

Two locks, either one sufficient on its own for writes:
1. `check_query` accepts one SELECT (optionally WITH … SELECT) and nothing else: no second
   statement, no comments (MariaDB runs `/*! … */`), no write/DDL/session keywords, no
   `INTO` (OUTFILE/DUMPFILE/@var), no internal tables (`__Auth` holds password hashes) or
   system schemas.
2. `run_query` executes it read-only on a connection of its own (so it reads committed
   data, the same on both backends): SQLite with `PRAGMA query_only`, MariaDB in
   `START TRANSACTION READ ONLY` with `max_statement_time`.

Parameters are Frappe's `%(name)s` placeholders bound by the driver from the filters —
never formatted into the text; a list value expands to `(v1, v2, …)` for `IN %(x)s`.
`%%` is a literal `%`.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..exceptions import PermissionError_, ValidationError

if TYPE_CHECKING:
    from ..context import Context

MAX_SECONDS = 60
MAX_ROWS = 100_000

FORBIDDEN_WORDS = frozenset(
    """
    insert update delete merge upsert drop alter create truncate rename grant revoke
    lock unlock call do handler load into outfile dumpfile attach detach pragma vacuum reindex
    analyze optimize repair flush kill shutdown set reset purge install uninstall prepare
    execute deallocate begin commit rollback savepoint release start transaction
    sleep benchmark load_file get_lock release_lock sys_exec sys_eval
    """.split()
)
FORBIDDEN_SCHEMAS = frozenset(
    {
        "mysql",
        "information_schema",
        "performance_schema",
        "sys",
        "sqlite_master",
        "sqlite_schema",
        "sqlite_temp_master",
    }
)
_PLACEHOLDER = re.compile(r"%\(([A-Za-z_][A-Za-z0-9_]*)\)s")
_TOKEN = re.compile(
    r"""
    (?P<squote>'(?:[^'\\]|\\.|'')*')
  | (?P<dquote>"(?:[^"\\]|\\.|"")*")
  | (?P<btick>`(?:[^`]|``)*`)
  | (?P<comment>--|\#|/\*)
  | (?P<semi>;)
  | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(sql: str) -> list[tuple[str, str]]:
    out = []
    pos = 0
    while pos < len(sql):
        match = _TOKEN.match(sql, pos)
        if match is None:  # an unterminated quote
            raise ValidationError("Query laporan memuat tanda kutip yang tidak ditutup")
        pos = match.end()
        kind = match.lastgroup or "other"
        if kind == "other" and match.group().isspace():
            continue
        out.append((kind, match.group()))
    return out


def check_query(sql: str) -> str:
    """The query without a trailing `;`, or ValidationError saying what is refused."""
    text = (sql or "").strip()
    if not text:
        raise ValidationError("Query laporan kosong")
    tokens = _tokens(text)
    while tokens and tokens[-1][0] == "semi":
        tokens.pop()
        text = text.rstrip().removesuffix(";").rstrip()
    if not tokens:
        raise ValidationError("Query laporan kosong")
    first = tokens[0][1].lower() if tokens[0][0] == "word" else ""
    if first not in ("select", "with"):
        raise ValidationError("Query laporan hanya boleh berupa satu pernyataan SELECT")
    for kind, value in tokens:
        if kind == "semi":
            raise ValidationError("Query laporan hanya boleh berisi satu pernyataan (tanpa ';')")
        if kind == "comment":
            raise ValidationError("Query laporan tidak boleh memuat komentar SQL")
        name = value.strip('`"').lower() if kind in ("word", "btick") else ""
        if kind == "word" and name in FORBIDDEN_WORDS:
            raise ValidationError(
                f"Query laporan tidak boleh memuat {value.upper()}: hanya SELECT yang diizinkan"
            )
        if name.startswith("__") or name in FORBIDDEN_SCHEMAS:
            raise ValidationError(f"Query laporan tidak boleh membaca {value}")
    if first == "with" and not any(k == "word" and v.lower() == "select" for k, v in tokens):
        raise ValidationError("Query laporan hanya boleh berupa satu pernyataan SELECT")
    return text


def _statement(sql: str, params: dict[str, Any]) -> tuple[sa.TextClause, dict[str, Any]]:
    """`%(name)s` → bound parameters of a text() clause (colons and `%%` kept literal)."""
    names: list[str] = []
    pieces: list[str] = []
    pos = 0
    for match in _PLACEHOLDER.finditer(sql):
        pieces.append(_literal(sql[pos : match.start()]))
        name = match.group(1)
        pieces.append(f":p_{name}")
        names.append(name)
        pos = match.end()
    pieces.append(_literal(sql[pos:]))
    clause = sa.text("".join(pieces))
    bound: dict[str, Any] = {}
    binds = []
    for name in dict.fromkeys(names):
        value = params.get(name)
        if isinstance(value, dict):
            raise ValidationError(f"Filter {name}: nilai tidak boleh berupa objek")
        if isinstance(value, list | tuple | set):
            value = list(value)
            if not value:
                raise ValidationError(f"Filter {name}: daftar nilai tidak boleh kosong")
            binds.append(sa.bindparam(f"p_{name}", expanding=True))
        bound[f"p_{name}"] = value
    if binds:
        clause = clause.bindparams(*binds)
    return clause, bound


def _literal(text: str) -> str:
    return text.replace("%%", "%").replace(":", r"\:")


def run_query(ctx: Context, sql: str, params: dict[str, Any]) -> tuple[list[str], list[tuple]]:
    """Run a checked query read-only; returns (column keys, rows as tuples)."""
    text = check_query(sql)
    clause, bound = _statement(text, params)
    if ctx.site.is_mariadb:
        return _run_mariadb(ctx, clause, bound)
    return _run_sqlite(ctx, clause, bound)


def _fetch(result: sa.CursorResult) -> tuple[list[str], list[tuple]]:
    keys = list(result.keys())
    rows = result.fetchmany(MAX_ROWS + 1)
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"Hasil laporan lebih dari {MAX_ROWS} baris: persempit filternya")
    return keys, [tuple(r) for r in rows]


def _run_sqlite(ctx: Context, clause: sa.TextClause, bound: dict[str, Any]):
    with ctx.site.engine.connect() as conn:
        conn.info["write"] = False  # BEGIN DEFERRED: never waits for the writer's lock
        conn.exec_driver_sql("PRAGMA query_only = 1")
        raw = conn.connection.dbapi_connection
        deadline = time.monotonic() + MAX_SECONDS
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            return _fetch(conn.execute(clause, bound))
        except sa.exc.DBAPIError as exc:
            raise _refused(exc) from exc
        finally:
            raw.set_progress_handler(None, 0)
            conn.rollback()
            conn.exec_driver_sql("PRAGMA query_only = 0")
            conn.rollback()


def _run_mariadb(ctx: Context, clause: sa.TextClause, bound: dict[str, Any]):
    clause = sa.text(f"SET STATEMENT max_statement_time={MAX_SECONDS} FOR " + clause.text)
    clause = clause.bindparams(
        *(sa.bindparam(k, expanding=True) for k, v in bound.items() if isinstance(v, list))
    )
    with ctx.site.engine.connect() as conn:
        conn.exec_driver_sql("START TRANSACTION READ ONLY")
        try:
            return _fetch(conn.execute(clause, bound))
        except sa.exc.DBAPIError as exc:
            raise _refused(exc) from exc
        finally:
            conn.rollback()


def _refused(exc: sa.exc.DBAPIError) -> Exception:
    message = str(getattr(exc, "orig", exc)).splitlines()[0]
    if "interrupted" in message.lower() or "max_statement_time" in message.lower():
        return ValidationError(f"Query laporan melebihi batas waktu {MAX_SECONDS} detik")
    if "readonly" in message.replace(" ", "").lower() or "read only" in message.lower():
        return PermissionError_("Query laporan hanya boleh membaca data")
    return ValidationError(f"Query laporan gagal dijalankan: {message}")
