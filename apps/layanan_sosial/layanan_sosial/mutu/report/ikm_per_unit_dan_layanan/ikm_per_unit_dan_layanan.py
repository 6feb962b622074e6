"""Script Report "IKM per Unit dan Layanan": per unit and/or service (or wilayah), the
number of respondents, NRR per unsur, IKM, mutu (A–D) and kinerja, computed by
`layanan_sosial.mutu.ikm.hitung` (PermenPANRB 14/2017) over that group's responses — never
an average of other groups' IKM. The message gives the IKM over all responses shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.mutu.ikm import UNSUR, hitung

if TYPE_CHECKING:
    from layanan_sosial.core.context import Context

SURVEI = "Survei Kepuasan"
TANPA = "(tidak diisi)"
KELOMPOK = {
    "Unit dan Layanan": ("unit", "layanan"),
    "Unit": ("unit",),
    "Layanan": ("layanan",),
    "Wilayah": ("wilayah",),
}
LABELS = {"unit": "Unit Pelayanan", "layanan": "Layanan", "wilayah": "Wilayah"}
NAMA_UNSUR = (
    "Persyaratan",
    "Prosedur",
    "Waktu",
    "Biaya/Tarif",
    "Produk Layanan",
    "Kompetensi",
    "Perilaku",
    "Pengaduan",
    "Sarana",
)


def columns(keys: tuple[str, ...]) -> list[dict[str, Any]]:
    cols = [{"fieldname": k, "label": LABELS[k], "fieldtype": "Data", "width": 160} for k in keys]
    cols.append(
        {"fieldname": "jumlah_responden", "label": "Responden", "fieldtype": "Int", "width": 90}
    )
    cols += [
        {
            "fieldname": f"nrr_{u}",
            "label": f"NRR {u.upper()} {nama}",
            "fieldtype": "Float",
            "precision": 4,
            "width": 90,
        }
        for u, nama in zip(UNSUR, NAMA_UNSUR, strict=True)
    ]
    cols += [
        {"fieldname": "nilai_indeks", "label": "Nilai Indeks (1–4)", "fieldtype": "Float", "precision": 4, "width": 100},
        {"fieldname": "ikm", "label": "IKM", "fieldtype": "Float", "precision": 2, "width": 80},
        {"fieldname": "mutu", "label": "Mutu", "fieldtype": "Data", "width": 60},
        {"fieldname": "kinerja", "label": "Kinerja", "fieldtype": "Data", "width": 110},
    ]  # fmt: skip
    return cols


def survey_filters(filters: dict[str, Any]) -> list[list[Any]]:
    out: list[list[Any]] = []
    if filters.get("dari_tanggal"):
        out.append(["tanggal", ">=", filters["dari_tanggal"]])
    if filters.get("sampai_tanggal"):
        out.append(["tanggal", "<=", filters["sampai_tanggal"]])
    for field in ("unit", "layanan", "wilayah"):
        if filters.get(field):
            out.append([field, "=", filters[field]])
    return out


def baris(keys: tuple[str, ...], group: tuple[str, ...], hasil: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = dict(zip(keys, group, strict=True))
    row["jumlah_responden"] = hasil["jumlah_responden"]
    for u, value in zip(UNSUR, hasil["nrr"] or [None] * len(UNSUR), strict=True):
        row[f"nrr_{u}"] = value
    for field in ("nilai_indeks", "ikm", "mutu", "kinerja"):
        row[field] = hasil[field]
    return row


def execute(ctx: Context, filters: dict[str, Any] | None = None):
    filters = filters or {}
    kelompok = filters.get("kelompok") or "Unit dan Layanan"
    if kelompok not in KELOMPOK:
        raise ValidationError(
            f"Kelompok {kelompok!r} tidak dikenal (pilih: {', '.join(KELOMPOK)})", field="kelompok"
        )
    keys = KELOMPOK[kelompok]
    responses = ctx.get_list(
        SURVEI,
        fields=[*keys, *UNSUR],
        filters=survey_filters(filters),
        limit_page_length=0,
    )
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for response in responses:
        group = tuple(" ".join(str(response.get(k) or "").split()) or TANPA for k in keys)
        groups.setdefault(group, []).append(response)
    data = [
        baris(keys, g, hitung(groups[g]))
        for g in sorted(groups, key=lambda g: [s.casefold() for s in g])
    ]
    cols = columns(keys)
    if not data:
        return cols, [], "Belum ada jawaban survei pada filter ini.", None
    semua = hitung(responses)
    message = (
        f"IKM keseluruhan: {semua['ikm']:.2f} (mutu {semua['mutu']}, {semua['kinerja']}) "
        f"dari {semua['jumlah_responden']} responden."
    )
    chart = {
        "data": {
            "labels": [" / ".join(row[k] for k in keys) for row in data],
            "datasets": [{"name": "IKM", "values": [row["ikm"] for row in data]}],
        },
        "type": "bar",
    }
    return cols, data, message, chart
