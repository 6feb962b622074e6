"""Live customisation across processes: a second, already-running process (a web or job
worker) sees a Custom Field, a Property Setter and a custom DocType made here on its very
next request, with no restart. Runs on SQLite and on MariaDB.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from process_worker import Worker
from sitekit import backends

from layanan_sosial.core import customize as cz

DRIVER = Path(__file__).with_name("customize_driver.py")


@pytest.fixture
def worker(fresh_site):
    w = Worker(DRIVER, fresh_site)
    yield w
    w.close()


@pytest.mark.parametrize("fresh_site", backends(), indirect=True)
def test_a_running_worker_sees_customisations_on_its_next_request(fresh_site, worker):
    # the worker has loaded and cached the meta; without a change it is reused as is
    before = worker.ok("meta", doctype="Uji Kait")
    assert "custom_warna" not in before["fields"]
    assert worker.ok("meta", doctype="Uji Kait")["meta_id"] == before["meta_id"]

    # 1. a Custom Field added (and committed) here ...
    with fresh_site.begin() as ctx:
        cz.add_custom_field(ctx, "Uji Kait", {"label": "Warna"}, insert_after="judul")
    # ... is in the worker's very next request, and it can write the new column
    after = worker.ok("meta", doctype="Uji Kait")
    assert after["version"] > before["version"]
    assert after["meta_id"] != before["meta_id"]
    assert after["fields"].index("custom_warna") == after["fields"].index("judul") + 1
    inserted = worker.ok(
        "insert", doctype="Uji Kait", values={"judul": "a", "custom_warna": "biru"}
    )
    with fresh_site.begin() as ctx:
        assert ctx.get_doc("Uji Kait", inserted["name"]).custom_warna == "biru"

    # 2. a Property Setter: the worker enforces the new rule at once
    with fresh_site.begin() as ctx:
        cz.set_property(ctx, "Uji Kait", "reqd", 1, fieldname="custom_warna")
    refused = worker.request("insert", doctype="Uji Kait", values={"judul": "tanpa warna"})
    assert not refused["ok"] and refused["error"] == "MandatoryError"

    # 3. a custom DocType created here: the worker inserts into it with no restart
    assert worker.ok("exists_doctype", doctype="Catatan Lapangan") is False
    with fresh_site.begin() as ctx:
        cz.create_doctype(
            ctx,
            {"name": "Catatan Lapangan Baris", "istable": 1, "fields": [{"fieldname": "isi"}]},
        )
        cz.create_doctype(
            ctx,
            {
                "name": "Catatan Lapangan",
                "autoname": "CL-.####",
                "fields": [
                    {"fieldname": "petugas", "fieldtype": "Data", "reqd": 1},
                    {"fieldname": "kait", "fieldtype": "Link", "options": "Uji Kait"},
                    {
                        "fieldname": "baris",
                        "fieldtype": "Table",
                        "options": "Catatan Lapangan Baris",
                    },
                ],
            },
        )
    note = worker.ok(
        "insert",
        doctype="Catatan Lapangan",
        values={"petugas": "Yosef", "kait": inserted["name"], "baris": [{"isi": "kunjungan"}]},
    )
    assert note["name"] == "CL-0001"
    with fresh_site.begin() as ctx:
        stored = ctx.get_doc("Catatan Lapangan", "CL-0001")
        assert stored.petugas == "Yosef" and stored.baris[0].isi == "kunjungan"

    # 4. and a removal: the field is gone for the worker on its next request
    with fresh_site.begin() as ctx:
        cz.remove_property(ctx, "Uji Kait", "reqd", fieldname="custom_warna")
        assert cz.remove_custom_field(ctx, "Uji Kait", "custom_warna") is True  # kept: data
    assert "custom_warna" not in worker.ok("meta", doctype="Uji Kait")["fields"]
    worker.ok("insert", doctype="Uji Kait", values={"judul": "sesudah"})
