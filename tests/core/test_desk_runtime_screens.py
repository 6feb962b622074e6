"""Every desk screen for a DocType created at run time (no restart): list, report view with
group-by counts, CSV/XLSX export and the awesome bar find it and its records — over real
HTTP, both backends. (The browser test drives its form.)"""

from __future__ import annotations

import csv
import io
import secrets

import openpyxl
import pytest
from desk_helpers import login, make_user, root_conftest
from starlette.testclient import TestClient

from layanan_sosial.core import customize as cz
from layanan_sosial.core.web.app import create_app

shared = root_conftest()


@pytest.fixture(scope="module", params=shared.backends())
def runtime_site(request, sites_root):
    created = shared.make_site(sites_root, request.param)
    name = f"Posko Uji {secrets.token_hex(2)}"
    with created.begin() as ctx:
        cz.create_doctype(
            ctx,
            {
                "name": name,
                "module": "Core",
                "autoname": "field:kode",
                "title_field": "nama_posko",
                "search_fields": "nama_posko",
                "fields": [
                    {"fieldname": "kode", "fieldtype": "Data", "label": "Kode", "reqd": 1},
                    {
                        "fieldname": "nama_posko",
                        "fieldtype": "Data",
                        "label": "Nama Posko",
                        "in_list_view": 1,
                    },
                    {
                        "fieldname": "jenis",
                        "fieldtype": "Select",
                        "label": "Jenis",
                        "options": "Pengungsian\nDapur Umum",
                        "in_list_view": 1,
                        "in_standard_filter": 1,
                    },
                    {"fieldname": "kapasitas", "fieldtype": "Int", "label": "Kapasitas"},
                ],
                "permissions": [
                    {"role": "System Manager", "read": 1, "write": 1, "create": 1}
                    | {"delete": 1, "report": 1, "export": 1}
                ],
            },
        )
    with created.begin() as ctx:
        for i, jenis in enumerate(("Pengungsian", "Pengungsian", "Dapur Umum")):
            ctx.new_doc(
                name, kode=f"P{i}", nama_posko=f"Posko Oesapa {i}", jenis=jenis, kapasitas=10 * i
            ).insert()
    created.runtime_doctype = name
    yield created
    shared.drop_site(created)


@pytest.fixture
def client(runtime_site, monkeypatch):
    monkeypatch.setenv("LAYANAN_SITES_DIR", str(runtime_site.root))
    with TestClient(create_app(), base_url=f"http://{runtime_site.name}") as test_client:
        email = make_user(runtime_site, f"sm-{secrets.token_hex(3)}@uji.id", ["System Manager"])
        login(test_client, email)
        yield test_client


def test_runtime_doctype_in_list_report_view_exports_and_search(client, runtime_site):
    name = runtime_site.runtime_doctype
    slug = name.lower().replace(" ", "-")
    listed = client.get(f"/app/{slug}")
    assert listed.status_code == 200 and "Posko Oesapa 2" in listed.text
    assert "3 data" in listed.text

    grouped = client.get(f"/app/{slug}/view/report", params={"group_by": "jenis"})
    assert grouped.status_code == 200
    table = grouped.text.split('data-testid="group-table"')[1]
    assert '<td>Pengungsian</td>\n        <td class="num" data-testid="group-count">2</td>' in table
    assert '<td>Dapur Umum</td>\n        <td class="num" data-testid="group-count">1</td>' in table

    exported = client.get(f"/app/{slug}/view/report/export", params={"format": "csv"})
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert len(rows) == 4  # header + three records
    xlsx = client.get(f"/app/{slug}/export.xlsx")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 4

    found = client.get("/app/search", params={"q": "Oesapa 1", "fragment": "1"})
    assert f"/app/{slug}/P1" in found.text
    doctype_hit = client.get("/app/search", params={"q": name, "fragment": "1"})
    assert f"/app/{slug}" in doctype_hit.text
