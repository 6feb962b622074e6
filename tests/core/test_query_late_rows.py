"""`get_list(late_row_lookup=True)` (the desk's list on big tables: names of the page from an
index first, then those rows) answers exactly what the plain query answers — same rows,
same order, same page — for filters, sorts, offsets and a user scoped by a User Permission."""

from __future__ import annotations

import secrets

import pytest


@pytest.fixture
def warga(ctx):
    tag = secrets.token_hex(3)
    for kode, induk in (("53", None), ("53.71", "53"), ("53.71.01", "53.71"), ("53.10", "53")):
        if not ctx.exists("Uji Wilayah", kode):
            ctx.new_doc("Uji Wilayah", kode=kode, nama=kode, induk=induk).insert()
    for i in range(23):
        ctx.new_doc(
            "Uji Warga",
            nama=f"{tag} warga {i:02d}",
            wilayah=("53.71.01", "53.10", None)[i % 3],
            nik=f"{i:02d}",
        ).insert()
    return tag


@pytest.mark.parametrize(
    ("order_by", "start"),
    [("nama asc", 0), ("nama asc", 20), ("nama desc", 8), ("nik desc", 5)],
)
def test_late_row_lookup_returns_the_same_page(ctx, warga, order_by, start):
    query = {
        "fields": ["name", "nama", "wilayah", "nik"],
        "filters": [["nama", "like", f"{warga}%"]],
        "order_by": order_by,
        "limit_start": start,
        "limit_page_length": 8,
    }
    plain = ctx.get_list("Uji Warga", **query)
    late = ctx.get_list("Uji Warga", late_row_lookup=True, **query)
    assert late == plain
    assert len(plain) == min(8, 23 - start)
    # with the match count known and small, MariaDB is told to sort from the filter's index
    hinted = ctx.get_list("Uji Warga", late_row_lookup=True, expected_rows=23, **query)
    assert hinted == plain


def test_late_row_lookup_keeps_the_users_scope(ctx, warga):
    email = f"lr.{secrets.token_hex(3)}@uji.id"
    ctx.new_doc("User", email=email, first_name="Lr", roles=[{"role": "Uji Petugas"}]).insert()
    ctx.new_doc("User Permission", user=email, allow="Uji Wilayah", for_value="53.71").insert()
    ctx.set_user(email)
    query = {
        "fields": ["name", "nama", "wilayah"],
        "filters": [["nama", "like", f"{warga}%"]],
        "order_by": "nama desc",
        "limit_page_length": 5,
    }
    late = ctx.get_list("Uji Warga", late_row_lookup=True, **query)
    assert late == ctx.get_list("Uji Warga", **query)
    assert late and {r["wilayah"] for r in late} <= {"53.71.01", None}
    assert (
        ctx.get_list(
            "Uji Warga",
            late_row_lookup=True,
            **{**query, "filters": [["nama", "like", "tidak-ada%"]]},
        )
        == []
    )


def test_pages_never_overlap_even_when_the_sort_ties(ctx, warga):
    """Every row has the same `modified` (one transaction): the order among ties is the
    database's choice, but consecutive pages still cover each row exactly once."""
    seen = []
    for start in range(0, 24, 8):
        seen += ctx.get_list(
            "Uji Warga",
            fields=["name"],
            filters=[["nama", "like", f"{warga}%"]],
            order_by="modified desc",
            limit_start=start,
            limit_page_length=8,
            late_row_lookup=True,
            pluck=None,
        )
    names = [r["name"] for r in seen]
    assert len(names) == len(set(names)) == 23
