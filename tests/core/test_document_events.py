"""Apps' doc_events and engine listeners run after the controller hooks."""

from __future__ import annotations

import pytest
from sitekit import TEST_APPS, drop_site, make_site

from layanan_sosial.core.document.events import listen, unlisten


@pytest.fixture(params=["sqlite", "mariadb"])
def events_site(request, sites_root):
    site = make_site(sites_root, request.param, apps=[*TEST_APPS, "layanan_test_events"])
    yield site
    drop_site(site)


def test_app_doc_events_run_for_their_doctype_and_for_all(events_site):
    with events_site.begin() as ctx:
        doc = ctx.new_doc("Uji Hook", judul="halo").insert()
        assert doc.judul == "HALO"  # validate handler of the app changed the value...
        assert ctx.get_doc("Uji Hook", doc.name).judul == "HALO"  # ...before it was stored
        assert doc.flags.app_updates == 1
        other = ctx.new_doc("Uji Hash", judul="halo").insert()
        assert other.judul == "halo"  # only "*" handlers apply to other DocTypes
        assert other.flags.app_updates == 1


def test_engine_listener_sees_every_doctype(ctx):
    seen = []

    @listen("after_insert")
    def record(doc, event):
        if doc.get("judul") == "dengar":
            seen.append((doc.doctype, event))

    try:
        ctx.new_doc("Uji Hash", judul="dengar").insert()
        ctx.new_doc("Uji Hook", judul="dengar").insert()
    finally:
        unlisten("after_insert", record)
    assert ("Uji Hash", "after_insert") in seen
    assert ("Uji Hook", "after_insert") in seen


def test_rows_added_by_a_validate_listener_are_stored_with_names(ctx):
    @listen("validate")
    def add_row(doc, event):
        if doc.doctype == "Uji Hook" and doc.get("judul") == "tambah baris":
            doc.append("baris", {"item": "ditambah saat validate"})

    try:
        doc = ctx.new_doc("Uji Hook", judul="tambah baris", baris=[{"item": "dari pengguna"}])
        doc.insert()
    finally:
        unlisten("validate", add_row)
    stored = ctx.get_doc("Uji Hook", doc.name).get("baris")
    assert [(r.item, r.idx) for r in stored] == [
        ("dari pengguna", 1),
        ("ditambah saat validate", 2),
    ]
    assert all(r.name and r.parent == doc.name for r in stored)
