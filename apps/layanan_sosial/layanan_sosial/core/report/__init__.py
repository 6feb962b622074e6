"""Reports (frappe_compat §8.7): the `Report` DocType's records, run for a user.

- `access.py`: load a Report and check the caller may run it (roles, ref_doctype rights,
  disabled);
- `runner.py`: filters → executor by type → columns/rows normalised → User-Permission scope
  on Link columns → total row; `run_report(ctx, name, filters)` is the entry point;
- executors: `script.py` (standard `<app>/<module>/report/<scrub>/<scrub>.py`,
  `execute(ctx, filters)`), `sql.py` (Query Report: one SELECT, read-only, bound
  parameters), `builder.py` (Report Builder: saved get_list settings);
- `columns.py`, `filters.py`, `export.py` (CSV/XLSX), `sync.py` (standard report files →
  records in migrate), `api.py` (REST at `frappe.desk.query_report.*`).
"""

from .runner import execute, run_report

__all__ = ["execute", "run_report"]
