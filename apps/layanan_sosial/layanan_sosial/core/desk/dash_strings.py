"""UI strings of the workspaces, the awesome bar, the report view and the charts; merged into
the desk's `i18n.STRINGS` at import (kept apart so these pages add keys without editing the
shared table)."""

from __future__ import annotations

from .i18n import STRINGS

DASH_STRINGS: dict[str, dict[str, str]] = {
    "id": {
        "workspaces": "Ruang Kerja",
        "other_doctypes": "Semua jenis dokumen",
        "shortcuts": "Pintasan",
        "number_cards": "Angka hari ini",
        "edit_workspace": "Ubah ruang kerja",
        "open_list": "Buka daftar",
        "open_report": "Buka laporan",
        "card_error": "Kartu tidak dapat dihitung",
        "search_placeholder": "Cari nama, NIK, nomor pengaduan, jenis dokumen… (/)",
        "search_label": "Pencarian global",
        "search_results": "Hasil pencarian",
        "search_none": "Tidak ada hasil untuk “{q}”.",
        "search_short": "Ketik minimal 2 karakter.",
        "search_doctype": "Daftar",
        "search_new": "Baru",
        "search_hint": "↑↓ pilih · Enter buka · Esc tutup",
        "report_view": "Tampilan Laporan",
        "list_view": "Tampilan Daftar",
        "columns": "Kolom",
        "group_by": "Kelompokkan menurut",
        "no_group": "(tanpa pengelompokan)",
        "count": "Jumlah",
        "data_table": "Tabel data",
        "chart": "Grafik",
        "category_scale": "Skala kategori",
        "rows_per_page": "Baris per halaman",
    },
    "en": {
        "workspaces": "Workspaces",
        "other_doctypes": "All document types",
        "shortcuts": "Shortcuts",
        "number_cards": "Numbers today",
        "edit_workspace": "Edit workspace",
        "open_list": "Open list",
        "open_report": "Open report",
        "card_error": "This card cannot be counted",
        "search_placeholder": "Search a name, NIK, complaint number, document type… (/)",
        "search_label": "Global search",
        "search_results": "Search results",
        "search_none": "Nothing found for “{q}”.",
        "search_short": "Type at least 2 characters.",
        "search_doctype": "List",
        "search_new": "New",
        "search_hint": "↑↓ choose · Enter open · Esc close",
        "report_view": "Report View",
        "list_view": "List View",
        "columns": "Columns",
        "group_by": "Group by",
        "no_group": "(no grouping)",
        "count": "Count",
        "data_table": "Data table",
        "chart": "Chart",
        "category_scale": "Category scale",
        "rows_per_page": "Rows per page",
    },
}

for _lang, _table in DASH_STRINGS.items():
    for _key, _text in _table.items():
        STRINGS.setdefault(_lang, {}).setdefault(_key, _text)
