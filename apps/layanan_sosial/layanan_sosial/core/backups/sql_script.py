"""Split a MariaDB SQL script into statements, streaming, without a `mariadb` client.

Understands what dumps contain: '…', "…" and `…` quoting (with backslash escapes and
doubled quotes), `-- ` and `#` line comments (dropped), `/* … */` comments (kept: MariaDB
runs `/*!40101 … */` version comments). `DELIMITER` (stored routines) is not supported —
our databases have none, and a dump that has them needs the `mariadb` client.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..exceptions import SiteError

_TOKEN = re.compile(
    r"""
      (?P<single>'(?:[^'\\]|\\.|'')*(?P<single_end>')?)
    | (?P<double>"(?:[^"\\]|\\.|"")*(?P<double_end>")?)
    | (?P<tick>`(?:[^`]|``)*(?P<tick_end>`)?)
    | (?P<block>/\*.*?(?P<block_end>\*/|\Z))
    | (?P<line>(?:--(?=[ \t\r\n]|\Z)|\#)[^\n]*(?P<line_end>\n)?)
    | (?P<semi>;)
    | [^'"`/;\#-]+
    | .
    """,
    re.S | re.X,
)
_ENDS = {"single": "single_end", "double": "double_end", "tick": "tick_end", "line": "line_end"}


def _unterminated(match: re.Match[str]) -> bool:
    kind = match.lastgroup
    if kind == "block":
        return not match.group("block_end")
    end = _ENDS.get(kind or "")
    return end is not None and match.group(end) is None


def iter_statements(chunks: Iterable[str]) -> Iterator[str]:
    """Yield each statement (without its `;`) from text arriving in whole lines."""
    buffer = ""
    parts: list[str] = []
    for chunk in _with_eof(chunks):
        eof = chunk is None
        if chunk:
            buffer += chunk
        pos = 0
        while pos < len(buffer):
            match = _TOKEN.match(buffer, pos)
            assert match is not None  # the last alternative matches any character
            if not eof and match.end() == len(buffer) and _unterminated(match):
                break  # a quote or comment continues in the next chunk
            pos = match.end()
            kind = match.lastgroup
            if kind == "semi":
                statement = "".join(parts).strip()
                parts = []
                if statement:
                    _refuse_delimiter(statement)
                    yield statement
            elif kind == "line":
                parts.append("\n")
            else:
                parts.append(match.group())
        buffer = buffer[pos:]
    statement = "".join(parts).strip()
    if statement:
        _refuse_delimiter(statement)
        yield statement


def _with_eof(chunks: Iterable[str]) -> Iterator[str | None]:
    yield from chunks
    yield None


def _refuse_delimiter(statement: str) -> None:
    if statement.upper().startswith("DELIMITER"):
        raise SiteError(
            "cadangan memuat DELIMITER (stored routine) yang tidak bisa dimuat tanpa klien mariadb",
            hint="pasang paket Debian mariadb-client lalu ulangi restore",
        )
