"""Report controller: a record is checked before anyone can run it.

- a Query Report holds raw SQL, so only System Manager (or Administrator) may create or
  change one, and the SQL must be a single SELECT (`core.report.sql.check_query`);
- a Report Builder report's `json` must be an object of get_list settings;
- Script Reports are code, so only standard ones (shipped in an app) exist;
- standard reports (is_standard = Yes) change only through their files (migrate).
"""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import PermissionError_, ValidationError
from layanan_sosial.core.report import filters as report_filters
from layanan_sosial.core.report.builder import settings
from layanan_sosial.core.report.sql import check_query

SQL_ROLES = frozenset({"System Manager", "Administrator"})


class Report(Document):
    def _engine_or_admin(self) -> bool:
        return not self.ctx.enforce_permissions

    def validate(self) -> None:
        if self.get("is_standard") == "Yes" and not self._engine_or_admin():
            raise PermissionError_(
                "Laporan standar hanya berubah lewat berkas aplikasinya (migrate)"
            )
        report_filters.definitions(self.get("filters"))
        kind = self.get("report_type")
        if kind == "Query Report":
            self._validate_query()
        elif kind == "Report Builder":
            settings(self.get("json"))
        elif kind == "Script Report" and self.get("is_standard") != "Yes":
            raise ValidationError(
                "Script Report hanya untuk laporan standar dalam aplikasi; "
                "gunakan Query Report atau Report Builder",
                field="report_type",
            )

    def _validate_query(self) -> None:
        if not self._engine_or_admin() and not SQL_ROLES & set(self.ctx.roles):
            raise PermissionError_(
                "Hanya System Manager yang boleh membuat atau mengubah Query Report"
            )
        if not (self.get("query") or "").strip():
            raise ValidationError("Query Report membutuhkan query SELECT", field="query")
        try:
            check_query(self.get("query"))
        except ValidationError as exc:
            raise ValidationError(exc.message, field="query") from exc

    def on_trash(self) -> None:
        if self.get("is_standard") == "Yes" and not self._engine_or_admin():
            raise PermissionError_("Laporan standar tidak dapat dihapus")
