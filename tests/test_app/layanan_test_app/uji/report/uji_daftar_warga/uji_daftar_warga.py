"""Test report: residents (Uji Warga) with their region, counted per region in a chart.

Goes through ctx.get_all, so a caller with User Permissions sees only their scope."""

from __future__ import annotations

from collections import Counter


def execute(ctx, filters):
    conditions = []
    if filters.get("wilayah"):
        conditions.append(["wilayah", "descendants of (inclusive)", filters["wilayah"]])
    if filters.get("awalan"):
        conditions.append(["nama", "like", f"{filters['awalan']}%"])
    rows = ctx.get_all(
        "Uji Warga",
        fields=["name", "nama", "wilayah"],
        filters=conditions,
        order_by="nama asc",
        limit_page_length=filters.get("batas") or 500,
    )
    data = [{**r, "jumlah": 1} for r in rows]
    columns = [
        {
            "fieldname": "name",
            "label": "ID",
            "fieldtype": "Link",
            "options": "Uji Warga",
            "width": 120,
        },
        "Nama:Data:200",
        "Wilayah:Link/Uji Wilayah:120",
        {"fieldname": "jumlah", "label": "Jumlah", "fieldtype": "Int"},
    ]
    per_wilayah = Counter(r["wilayah"] or "-" for r in rows)
    chart = {
        "data": {
            "labels": list(per_wilayah),
            "datasets": [{"name": "Warga", "values": list(per_wilayah.values())}],
        },
        "type": "bar",
    }
    return columns, data, f"{len(data)} warga", chart
