"""A report's answer as a file: CSV always, XLSX when openpyxl is installed."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..exceptions import ValidationError
from ..fieldtypes import to_json_value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    converted = to_json_value(value)
    return converted if isinstance(converted, str | int | float) else str(converted)


def table(result: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    columns = result["columns"]
    header = [c.get("label") or c["fieldname"] for c in columns]
    rows = [[_cell(r.get(c["fieldname"])) for c in columns] for r in result["result"]]
    return header, rows


def to_csv(result: dict[str, Any]) -> bytes:
    header, rows = table(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def xlsx_available() -> bool:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        return False
    return True


def to_xlsx(result: dict[str, Any], title: str) -> bytes:
    if not xlsx_available():
        raise ValidationError("Ekspor Excel tidak tersedia di server ini; gunakan CSV")
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31] or "Laporan"
    header, rows = table(result)
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
