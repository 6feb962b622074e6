"""get_list / get_count / get_value: every filter operator, fields, joins, order, paging,
and refusal of anything that is not a known field or operator — on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan_sosial.core.exceptions import FilterError

TODAY = dt.datetime(2026, 5, 14, 10, 0)  # a Thursday


@pytest.fixture
def data(ctx):
    ctx.now_override = TODAY
    for kode, induk in (("N", None), ("N.1", "N"), ("N.1.1", "N.1"), ("N.2", "N")):
        ctx.new_doc("Uji Pohon", kode=kode, nama=f"Wilayah {kode}", induk=induk).insert()
    ctx.new_doc(
        "Uji Validasi",
        kode="V1",
        nama="Satu",
        jenis="Lembaga",
        nama_lembaga="LKS",
        baris=[{"item": "beras", "jumlah": 3}, {"item": "minyak", "jumlah": 1}],
    ).insert()
    ctx.new_doc(
        "Uji Validasi", kode="V2", nama="Dua", baris=[{"item": "gula", "jumlah": 7}]
    ).insert()
    rows = [
        ("a", 1, "2026-05-14", "N.1.1", "V1"),
        ("b", 5, "2026-05-13", "N.1", "V2"),
        ("c", 10, "2026-04-30", "N.2", None),
        ("d", None, None, None, "V1"),
        ("", 0, "2025-12-31", "N", None),
    ]
    for judul, angka, tanggal, pohon, validasi in rows:
        ctx.new_doc(
            "Uji Kait", judul=judul, angka=angka, tanggal=tanggal, pohon=pohon, validasi=validasi
        ).insert()
    return ctx


def titles(ctx, filters=None, **kw):
    rows = ctx.get_all("Uji Kait", fields=["judul"], filters=filters, order_by="judul asc", **kw)
    return [r["judul"] or "" for r in rows]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"judul": "a"}, ["a"]),
        ([["judul", "=", "a"]], ["a"]),
        ([["Uji Kait", "judul", "=", "b"]], ["b"]),
        ([["judul", "!=", "a"]], ["", "b", "c", "d"]),
        ({"angka": [">", 1]}, ["b", "c"]),
        ({"angka": ["<", 5]}, ["", "a", "d"]),  # empty counts as 0, like Frappe
        ({"angka": [">=", "5"]}, ["b", "c"]),
        ({"angka": ["<=", 1]}, ["", "a", "d"]),
        ({"judul": ["like", "%a%"]}, ["a"]),
        ({"judul": ["not like", "a%"]}, ["", "b", "c", "d"]),
        ({"judul": ["in", ["a", "c"]]}, ["a", "c"]),
        ({"judul": ["in", "a, c"]}, ["a", "c"]),
        ({"judul": ["not in", ["a", "c"]]}, ["", "b", "d"]),
        ({"angka": ["is", "set"]}, ["", "a", "b", "c"]),
        ({"angka": ["is", "not set"]}, ["d"]),
        ({"validasi": ["is", "not set"]}, ["", "c"]),
        ({"tanggal": ["between", ["2026-05-01", "2026-05-14"]]}, ["a", "b"]),
        ({"tanggal": ["timespan", "today"]}, ["a"]),
        ({"tanggal": ["timespan", "yesterday"]}, ["b"]),
        ({"tanggal": ["timespan", "this week"]}, ["a", "b"]),
        ({"tanggal": ["timespan", "last month"]}, ["c"]),
        ({"tanggal": ["timespan", "last year"]}, [""]),
        ({"tanggal": ["timespan", "this year"]}, ["a", "b", "c"]),
        ({"tanggal": ["previous", "1 month"]}, ["c"]),  # the calendar month before
        ({"tanggal": ["previous", "1 year"]}, [""]),
        ({"tanggal": ["previous", "1 week"]}, []),
        ({"pohon": ["descendants of", "N.1"]}, ["a"]),
        ({"pohon": ["descendants of (inclusive)", "N.1"]}, ["a", "b"]),
        ({"pohon": ["not descendants of", "N.1"]}, ["", "b", "c", "d"]),
        ({"pohon": ["ancestors of", "N.1.1"]}, ["", "b"]),
        ({"pohon": ["not ancestors of", "N.1"]}, ["a", "b", "c", "d"]),
        ({"angka": ["between", [1, 5]]}, ["a", "b"]),
    ],
)
def test_each_operator(data, filters, expected):
    assert titles(data, filters) == expected


def test_or_filters_and_filters(data):
    result = titles(
        data, {"angka": [">", 0]}, or_filters=[["judul", "=", "a"], ["judul", "=", "c"]]
    )
    assert result == ["a", "c"]


def test_filter_on_child_table_field(data):
    found = data.get_all("Uji Validasi", filters=[["Uji Baris", "item", "=", "gula"]], pluck="name")
    assert found == ["V2"]
    # a field only the child table has is routed to it, as Frappe does
    routed = data.get_all("Uji Validasi", filters={"item": ["in", ["beras", "gula"]]}, pluck="name")
    assert sorted(routed) == ["V1", "V2"]


def test_fields_link_child_and_aliases(data):
    rows = data.get_all(
        "Uji Kait",
        fields=["judul", "validasi.nama as nama_validasi", "pohon.nama"],
        filters={"judul": "a"},
    )
    assert rows == [{"judul": "a", "nama_validasi": "Satu", "pohon.nama": "Wilayah N.1.1"}]
    items = data.get_all(
        "Uji Validasi",
        fields=["name", "baris.item", "`tabUji Baris`.jumlah"],
        filters={"name": "V1"},
        order_by="baris.item asc",
    )
    assert [(r["baris.item"], r["jumlah"]) for r in items] == [
        ("beras", 3),
        ("minyak", 1),
    ]


def test_aggregates_group_by_and_star(data):
    rows = data.get_all(
        "Uji Kait",
        fields=["validasi", "count(*) as jumlah", "sum(angka) as total"],
        filters={"validasi": ["is", "set"]},
        group_by="validasi",
        order_by="validasi asc",
    )
    assert [(r["validasi"], r["jumlah"], r["total"]) for r in rows] == [("V1", 2, 1), ("V2", 1, 5)]
    star = data.get_all("Uji Kait", fields=["*"], filters={"judul": "a"})
    assert star[0]["angka"] == 1 and star[0]["tanggal"] == dt.date(2026, 5, 14)
    assert "owner" in star[0]


def test_order_paging_as_list_and_pluck(data):
    assert [r["judul"] for r in data.get_all("Uji Kait", fields=["judul"])] != []
    page = data.get_list(
        "Uji Kait",
        fields=["judul"],
        order_by="angka desc",
        filters={"angka": ["is", "set"]},
        limit_start=1,
        limit_page_length=2,
    )
    assert [r["judul"] for r in page] == ["b", "a"]
    as_list = data.get_list(
        "Uji Kait", fields=["judul", "angka"], filters={"judul": "c"}, as_dict=0
    )
    assert as_list == [("c", 10)]
    assert data.get_list("Uji Kait", pluck="judul", filters={"judul": "b"}) == ["b"]
    assert len(data.get_list("Uji Kait", limit_page_length=2)) == 2
    assert len(data.get_list("Uji Kait", limit_page_length=0)) == 5
    assert len(data.get_list("Uji Kait")) == 5


def test_default_sort_is_modified_desc(data):
    names = data.get_list("Uji Kait", fields=["name", "modified"])
    stamps = [r["modified"] for r in names]
    assert stamps == sorted(stamps, reverse=True)


def test_get_count_and_get_value(data):
    assert data.get_count("Uji Kait") == 5
    assert data.get_count("Uji Kait", {"angka": [">", 1]}) == 2
    assert data.get_count("Uji Validasi", [["Uji Baris", "jumlah", ">", 0]]) == 2
    assert data.get_value("Uji Validasi", "V1", "nama") == "Satu"
    assert data.get_value("Uji Validasi", {"nama": "Dua"}) == "V2"
    assert data.get_value("Uji Validasi", "V1", ["nama", "jenis"]) == ("Satu", "Lembaga")
    assert data.get_value("Uji Validasi", "V1", ["nama"], as_dict=True) == {"nama": "Satu"}
    assert data.get_value("Uji Validasi", "TIDAK", "nama") is None
    assert data.get_value("Uji Tunggal", None, "bobot") == 0.8


def test_json_strings_are_accepted(data):
    rows = data.get_list("Uji Kait", fields='["judul"]', filters='[["judul", "=", "a"]]')
    assert rows == [{"judul": "a"}]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"fields": ["judul; DROP TABLE `tabUji Kait`"]},
        {"fields": ["(select name from tabUser)"]},
        {"fields": ["sleep(1)"]},
        {"fields": ["tidak_ada"]},
        {"fields": ["judul as `x`; --"]},
        {"order_by": "judul; drop table x"},
        {"order_by": "(select 1)"},
        {"order_by": "judul desc, sleep(3)"},
        {"group_by": "1=1"},
        {"filters": [["judul", "ilike", "a"]]},
        {"filters": [["judul) or (1=1", "=", "a"]]},
        {"filters": {"tidak_ada": 1}},
        {"filters": [["angka", "=", "bukan angka"]]},
        {"filters": [["tanggal", "timespan", "kapan-kapan"]]},
        {"filters": [["judul", "descendants of", "N"]]},
        {"filters": "{not json"},
        {"limit_page_length": "semua"},
    ],
)
def test_bad_query_input_is_refused_and_changes_nothing(data, kwargs):
    with pytest.raises(FilterError):
        data.get_list("Uji Kait", **kwargs)
    assert data.get_count("Uji Kait") == 5


def test_selected_field_keeps_its_type_in_filters(data):
    rows = data.get_all(
        "Uji Kait", fields=["judul", "pohon"], filters={"pohon": ["descendants of", "N"]}
    )
    assert sorted(r["judul"] for r in rows) == ["a", "b", "c"]
