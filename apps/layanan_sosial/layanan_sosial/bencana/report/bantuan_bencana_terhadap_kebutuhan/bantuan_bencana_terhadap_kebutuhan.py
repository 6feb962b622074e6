"""Script Report "Bantuan Bencana terhadap Kebutuhan": per kejadian and item, the victims'
need, what was planned and handed out, the gap and the percentage (bencana/kebutuhan.py),
with a bar chart of need against distributed. Scoped to what the caller may read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.bencana.kebutuhan import KEJADIAN, ringkasan

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

COLUMNS = [
    {"fieldname": "kejadian", "label": "Kejadian", "fieldtype": "Link", "options": KEJADIAN, "width": 130},
    {"fieldname": "nama_kejadian", "label": "Nama Kejadian", "fieldtype": "Data", "width": 180},
    {"fieldname": "jenis", "label": "Jenis (Standar SPM)", "fieldtype": "Data", "width": 160},
    {"fieldname": "item", "label": "Barang/Jasa", "fieldtype": "Data", "width": 150},
    {"fieldname": "satuan", "label": "Satuan", "fieldtype": "Data", "width": 80},
    {"fieldname": "kebutuhan", "label": "Kebutuhan", "fieldtype": "Float", "width": 100},
    {"fieldname": "direncanakan", "label": "Direncanakan", "fieldtype": "Float", "width": 110},
    {"fieldname": "disalurkan", "label": "Disalurkan", "fieldtype": "Float", "width": 100},
    {"fieldname": "selisih", "label": "Selisih", "fieldtype": "Float", "width": 90},
    {"fieldname": "persen", "label": "Persen Terpenuhi", "fieldtype": "Percent", "width": 110},
]  # fmt: skip


def kejadian_filters(filters: dict[str, Any]) -> list[list[Any]]:
    out: list[list[Any]] = []
    if filters.get("kejadian"):
        out.append(["name", "=", filters["kejadian"]])
    if filters.get("wilayah"):
        out.append(["wilayah", "descendants of (inclusive)", filters["wilayah"]])
    for field in ("jenis_bencana", "status"):
        if filters.get(field):
            out.append([field, "=", filters[field]])
    if filters.get("dari_tanggal"):
        out.append(["tanggal_kejadian", ">=", filters["dari_tanggal"]])
    if filters.get("sampai_tanggal"):
        out.append(["tanggal_kejadian", "<=", filters["sampai_tanggal"]])
    return out


def execute(ctx: Context, filters: dict[str, Any] | None = None):
    filters = filters or {}
    events = ctx.get_list(
        KEJADIAN,
        fields=["name", "nama_kejadian"],
        filters=kejadian_filters(filters),
        order_by="tanggal_kejadian desc, name desc",
        limit_page_length=0,
    )
    names = {e["name"]: e["nama_kejadian"] for e in events}
    order = {name: i for i, name in enumerate(names)}
    rows = ringkasan(ctx, list(names)) if names else []
    rows.sort(key=lambda r: order[r["kejadian"]])  # stable: items keep their order
    data = [{**row, "nama_kejadian": names[row["kejadian"]]} for row in rows]
    if not data:
        return COLUMNS, [], "Belum ada kebutuhan atau penyaluran pada kejadian yang dipilih.", None
    single = len(names) == 1 or len({r["kejadian"] for r in data}) == 1
    labels = [
        f"{r['item']} ({r['satuan']})"
        if single
        else f"{r['kejadian']}: {r['item']} ({r['satuan']})"
        for r in data
    ]
    chart = {
        "data": {
            "labels": labels,
            "datasets": [
                {"name": "Kebutuhan", "values": [r["kebutuhan"] for r in data]},
                {"name": "Disalurkan", "values": [r["disalurkan"] for r in data]},
            ],
        },
        "type": "bar",
    }
    terpenuhi = sum(1 for r in data if r["persen"] is not None and r["persen"] >= 100)
    message = f"{terpenuhi} dari {len(data)} item kebutuhan telah terpenuhi (≥ 100%)."
    return COLUMNS, data, message, chart
