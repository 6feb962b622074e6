"""Report view (`/app/<slug>/view/report`): chosen columns, group-by counts equal to what
get_list counts for the same user, filters parsed like the list's, CSV/XLSX exports of what
is shown (openpyxl opens them), the `export` right enforced; the list view's XLSX export and
the report engine's `export_query` as Excel — over real HTTP, both backends."""

from __future__ import annotations

import csv
import io
import secrets
from collections import Counter

import openpyxl
import pytest
from desk_helpers import login, make_user, root_conftest

from layanan_sosial.core.desk.charts import render, scale_class

shared = root_conftest()
STATUSES = ("Aktif", "Aktif", "Aktif", "Pindah", "Meninggal")


@pytest.fixture
def recipients(desk_site):
    """Five recipients named with a fresh tag: Kota Kupang 3 Aktif + 1 Pindah, Kab. Kupang
    1 Meninggal."""
    tag = f"Rv{secrets.token_hex(3)}"
    with desk_site.begin() as ctx:
        for i, status in enumerate(STATUSES):
            wilayah = "53.01.05.1001" if status == "Meninggal" else "53.71.02.1001"
            ctx.new_doc(
                "Penerima Manfaat",
                nama_lengkap=f"{tag} {i}",
                wilayah=wilayah,
                status=status,
                desil=i + 1,
            ).insert()
    return tag


def _user(site, roles, wilayah=None):
    email = make_user(site, f"rv-{secrets.token_hex(4)}@uji.id", roles)
    if wilayah:
        with site.begin() as ctx:
            ctx.new_doc("User Permission", user=email, allow="Wilayah", for_value=wilayah).insert()
    return email


def _tagged(tag):
    return {"ff": "nama_lengkap", "fo": "like", "fv": f"{tag} "}


def test_group_by_counts_match_get_list(client, desk_site, recipients):
    email = _user(desk_site, ["Admin Dinsos"])
    login(client, email)
    page = client.get(
        "/app/penerima-manfaat/view/report", params={**_tagged(recipients), "group_by": "status"}
    )
    assert page.status_code == 200
    assert 'data-testid="group-table"' in page.text
    with desk_site.begin(user=email, write=False) as ctx:
        rows = ctx.get_list(
            "Penerima Manfaat",
            fields=["status"],
            filters=[["nama_lengkap", "like", f"{recipients} %"]],
            limit_page_length=0,
        )
    expected = Counter(r["status"] for r in rows)
    assert expected == {"Aktif": 3, "Pindah": 1, "Meninggal": 1}
    for status, count in expected.items():
        assert (
            f'<td>{status}</td>\n        <td class="num" data-testid="group-count">{count}</td>'
            in page.text
        )
    # the same grouping for a Kota Kupang user: the Kab. Kupang row is out of scope
    scoped = _user(desk_site, ["Front Office"], "53.71")
    login(client, scoped)
    export = client.get(
        "/app/penerima-manfaat/view/report/export",
        params={**_tagged(recipients), "group_by": "status", "format": "csv"},
    )
    assert export.status_code == 403  # Front Office has no export right
    view = client.get(
        "/app/penerima-manfaat/view/report", params={**_tagged(recipients), "group_by": "status"}
    )
    assert "Meninggal" not in view.text.split('data-testid="group-table"')[1]


def test_columns_sort_and_xlsx_export_of_what_is_shown(client, desk_site, recipients):
    login(client, _user(desk_site, ["Admin Dinsos"]))
    params = {
        **_tagged(recipients),
        "cols": ["nama_lengkap", "desil"],
        "sort": "desil",
        "order": "asc",
    }
    page = client.get("/app/penerima-manfaat/view/report", params=params)
    assert page.status_code == 200
    assert 'data-testid="report-view-count">5 data' in page.text
    table = page.text.split('data-testid="report-view-table"')[1]
    assert "Nama Lengkap" in table and "Desil" in table and "Status" not in table
    assert table.index(f"{recipients} 0") < table.index(f"{recipients} 4")
    xlsx = client.get(
        "/app/penerima-manfaat/view/report/export", params={**params, "format": "xlsx"}
    )
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Nama Lengkap", "Desil")
    assert rows[1:] == [(f"{recipients} {i}", i + 1) for i in range(5)]
    csv_file = client.get(
        "/app/penerima-manfaat/view/report/export", params={**params, "format": "csv"}
    )
    lines = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert lines[0] == ["Nama Lengkap", "Desil"] and len(lines) == 6
    grouped = client.get(
        "/app/penerima-manfaat/view/report/export",
        params={**_tagged(recipients), "group_by": "status", "format": "xlsx"},
    )
    sheet = openpyxl.load_workbook(io.BytesIO(grouped.content)).active
    assert sorted(sheet.iter_rows(min_row=2, values_only=True)) == [
        ("Aktif", 3),
        ("Meninggal", 1),
        ("Pindah", 1),
    ]


def test_unknown_filter_or_column_is_refused_or_ignored(client, desk_site):
    login(client, _user(desk_site, ["Admin Dinsos"]))
    bad = client.get("/app/penerima-manfaat/view/report", params={"ff": "nik; drop", "fv": "1"})
    assert bad.status_code == 417
    ignored = client.get("/app/penerima-manfaat/view/report", params={"cols": "password"})
    assert ignored.status_code == 200 and ">password<" not in ignored.text
    pimpinan = _user(desk_site, ["Pimpinan"])  # may not read the NIK: no such column
    login(client, pimpinan)
    view = client.get("/app/penerima-manfaat/view/report", params={"cols": ["nik", "nama_lengkap"]})
    assert view.status_code == 200
    assert 'value="nik"' not in view.text


def test_list_view_exports_xlsx(client, desk_site, recipients):
    login(client, _user(desk_site, ["Admin Dinsos"]))
    response = client.get("/app/penerima-manfaat/export.xlsx", params=_tagged(recipients))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[0] == "ID" and "Nama Lengkap" in header
    names = sorted(r[header.index("Nama Lengkap")] for r in rows[1:])
    assert names == [f"{recipients} {i}" for i in range(5)]
    login(client, _user(desk_site, ["Front Office"]))
    assert client.get("/app/penerima-manfaat/export.xlsx").status_code == 403


def test_query_report_export_as_excel(client, desk_site):
    email = _user(desk_site, ["Admin Dinsos"])
    year = 2090 + secrets.randbelow(9)
    with desk_site.begin() as ctx:
        ctx.new_doc(
            "Target SPM", tahun=year, wilayah="53.71", jenis_layanan_spm="P3", jumlah_sasaran=8
        ).insert()
    login(client, email)
    page = client.get("/app/query-report/Capaian SPM per Kabupaten", params={"tahun": year})
    assert page.status_code == 200
    assert 'data-testid="report-export-xlsx"' in page.text
    assert 'class="lc-scale lc-scale-0" data-testid="scale-badge">Belum Tuntas' in page.text
    assert 'role="img"' in page.text  # the chart as SVG
    params = {
        "report_name": "Capaian SPM per Kabupaten",
        "file_format_type": "Excel",
        "filters": f'{{"tahun": {year}}}',
    }
    response = client.get("/api/method/frappe.desk.query_report.export_query", params=params)
    assert response.status_code == 200, response.text
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kode Wilayah", "Kabupaten/Kota", "Jenis Layanan")
    assert [r[:4] for r in rows[1:]] == [("53.71", "Kota Kupang", "P3", 8)]
    assert rows[1][-1] == "Belum Tuntas"
    login(client, _user(desk_site, ["Pimpinan"]))  # runs the report, has no export right
    refused = client.get("/api/method/frappe.desk.query_report.export_query", params=params)
    assert refused.status_code == 403


@pytest.mark.parametrize("kind", ["bar", "line", "pie", "donut", "percentage"])
def test_charts_are_labelled_svg_with_a_data_table(kind):
    chart = {
        "type": kind,
        "data": {
            "labels": ["Kota Kupang", "Sikka <b>", "Ende"],
            "datasets": [{"name": "Indeks", "values": [56.15, 1234.5, 0]}],
        },
    }
    html = str(render(chart, "Capaian"))
    assert html.startswith('<figure class="lc-chart') and 'role="img"' in html
    assert "<title" in html and "<desc" in html and "Capaian" in html
    assert "Sikka &lt;b&gt;" in html and "<b>" not in html  # labels escaped
    assert "<details" in html and "1.234,50" in html  # the numbers, Indonesian grouping
    assert render({"data": {"labels": []}}, "x") == ""  # not a chart: nothing


def test_category_scale_is_ordered_worst_to_best():
    scale = ["Belum Tuntas", "Tuntas Muda", "Tuntas Pratama", "Tuntas Madya", "Tuntas Utama"]
    scale.append("Tuntas Paripurna")
    assert scale_class("Belum Tuntas", scale) == "lc-scale lc-scale-0"
    assert scale_class("Tuntas Paripurna", scale) == "lc-scale lc-scale-5"
    assert scale_class("Tuntas Madya", scale) == "lc-scale lc-scale-3"
    assert scale_class("Lainnya", scale) == "" and scale_class("x", None) == ""
