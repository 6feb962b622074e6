"""The staff desk at /app: server-rendered pages (Jinja2 + HTMX + a little Alpine.js) built
from DocType metadata alone — it knows no domain DocType.

Modules: `routes.py` (URLs), `session.py` (who is asking, CSRF, language), `listview.py` and
`formview.py` (view-models), `formatting.py` (Indonesian dates, Rupiah, number grouping),
`i18n.py` (UI strings per language), `assets.py` (static files and the npm packages).
"""
