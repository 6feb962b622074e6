"""Filters: every Frappe form parsed to validated `Filter`s, NULL semantics checked against a
Python model of Frappe's `ifnull(col, <empty>) <op> value` for every field type, child-table
routing, trees (both the literal-list and the sub-select path) — on SQLite and MariaDB."""

from __future__ import annotations

import datetime as dt
import operator

import pytest

from layanan_sosial.core.exceptions import FilterError
from layanan_sosial.core.query import operators
from layanan_sosial.core.query.filters import Filter, parse_filters

# -- parse_filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"nama": "Satu"}, [("Uji Validasi", "nama", "=", "Satu")]),
        ({"jumlah": [">", 3]}, [("Uji Validasi", "jumlah", ">", 3)]),
        ({"jumlah": ["NOT  IN", [1]]}, [("Uji Validasi", "jumlah", "not in", [1])]),
        ([["nama", "like", "S%"]], [("Uji Validasi", "nama", "like", "S%")]),
        ([["nama", "Satu"]], [("Uji Validasi", "nama", "=", "Satu")]),
        ([["nama", "<>", "x"]], [("Uji Validasi", "nama", "!=", "x")]),
        ([["Uji Validasi", "nama", "=", "x"]], [("Uji Validasi", "nama", "=", "x")]),
        ([["Uji Validasi", "nama", "=", "x", False]], [("Uji Validasi", "nama", "=", "x")]),
        ([["Uji Baris", "item", "=", "gula"]], [("Uji Baris", "item", "=", "gula")]),
        ([["`tabUji Validasi`.nama", "=", "x"]], [("Uji Validasi", "nama", "=", "x")]),
        ([["`tabUji Baris`.item", "=", "x"]], [("Uji Baris", "item", "=", "x")]),
        ([["item", "=", "x"]], [("Uji Baris", "item", "=", "x")]),  # only the child has it
        ([["role.role_name", "=", "x"]], [("Uji Validasi", "role.role_name", "=", "x")]),
        ([["baris.item", "=", "x"]], [("Uji Validasi", "baris.item", "=", "x")]),
        (
            [{"nama": "a"}, ["jumlah", ">=", 1]],
            [
                ("Uji Validasi", "nama", "=", "a"),
                ("Uji Validasi", "jumlah", ">=", 1),
            ],
        ),
        ('{"nama": ["Descendants Of", "x"]}', [("Uji Validasi", "nama", "descendants of", "x")]),
        ('[["docstatus", "=", 0]]', [("Uji Validasi", "docstatus", "=", 0)]),
        ("", []),
        (None, []),
        ({}, []),
    ],
)
def test_parse_filters_every_form(ctx, filters, expected):
    meta = ctx.get_meta("Uji Validasi")
    parsed = parse_filters(meta, filters, get_meta=ctx.get_meta)
    assert parsed == [Filter(*e) for e in expected]


@pytest.mark.parametrize(
    ("filters", "named"),
    [
        ({"tidak_ada": 1}, "tidak_ada"),
        ([["nama", "~", "x"]], "~"),
        ([["nama", "ilike", "x"]], "ilike"),
        ([["nama", 1, "x"]], "1"),
        ([["Uji Kait", "judul", "=", "x"]], "Uji Kait"),  # not a child table of Uji Validasi
        ([["Uji Baris", "tidak_ada", "=", "x"]], "tidak_ada"),
        ([["role.tidak_ada", "=", "x"]], "tidak_ada"),
        ([["nama_lembaga.x", "=", "x"]], "nama_lembaga"),  # not a Link or Table field
        ({"nama": ["in", "a", "b"]}, "nama"),
        ({"nama": ["a", "b"]}, "a"),  # a list value is [operator, value], as in Frappe
        ([["nama", "=", "a", "b", "c", "d"]], "harus 2"),
        (["nama"], "daftar"),
        (42, "daftar"),
        ("[[", "JSON"),
    ],
)
def test_parse_filters_refuses_with_a_message_naming_the_token(ctx, filters, named):
    meta = ctx.get_meta("Uji Validasi")
    with pytest.raises(FilterError) as err:
        parse_filters(meta, filters, get_meta=ctx.get_meta)
    assert named in str(err.value)


def test_parse_filters_without_get_meta_refuses_instead_of_guessing(ctx):
    meta = ctx.get_meta("Uji Validasi")
    assert parse_filters(meta, {"nama": "x"}) == [Filter("Uji Validasi", "nama", "=", "x")]
    with pytest.raises(FilterError, match="item"):
        parse_filters(meta, {"item": "x"})  # routing needs the child's meta


# -- NULL semantics against a model of Frappe's ifnull ------------------------------------

EMPTY = {
    "data": "",
    "pilihan": "",
    "link_role": "",
    "int_val": 0,
    "float_val": 0,
    "date": dt.date.min,
    "datetime": dt.datetime.min,
    "time": dt.time.min,
}
ROWS = {
    "full": {
        "data": "beras",
        "pilihan": "Satu",
        "link_role": "System Manager",
        "int_val": 5,
        "float_val": 2.5,
        "date": dt.date(2026, 5, 14),
        "datetime": dt.datetime(2026, 5, 14, 10, 0),
        "time": dt.time(10, 30),
    },
    "zero": {
        "data": "",
        "pilihan": "",
        "link_role": "",
        "int_val": 0,
        "float_val": 0.0,
        "date": dt.date(2025, 1, 31),
        "datetime": dt.datetime(2025, 1, 31, 23, 59, 59),
        "time": dt.time(0, 0),
    },
    "other": {
        "data": "gula",
        "pilihan": "Dua",
        "link_role": "Guest",
        "int_val": -3,
        "float_val": 10.25,
        "date": dt.date(2024, 12, 1),
        "datetime": dt.datetime(2024, 12, 1, 8, 0),
        "time": dt.time(23, 0),
    },
    "null": dict.fromkeys(EMPTY),
}
COMPARE = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
    ">=": operator.ge,
    "<=": operator.le,
}
# (field, value as sent, the same value typed for the model)
PROBES = [
    ("data", "beras", "beras"),
    ("data", "", ""),
    ("data", "c", "c"),
    ("pilihan", "Dua", "Dua"),
    ("link_role", "", ""),
    ("link_role", "Guest", "Guest"),
    ("int_val", 0, 0),
    ("int_val", "5", 5),
    ("int_val", -3, -3),
    ("float_val", "0", 0.0),
    ("float_val", 2.5, 2.5),
    ("date", "2025-01-31", dt.date(2025, 1, 31)),
    ("datetime", "2025-01-31 23:59:59", dt.datetime(2025, 1, 31, 23, 59, 59)),
    ("time", "10:30:00", dt.time(10, 30)),
    ("time", "00:00:00", dt.time(0, 0)),
]


def _model(op, field, typed):
    """The rows Frappe's ifnull(col, empty) <op> value selects."""
    if op in ("in", "not in"):
        hit = {
            k
            for k, r in ROWS.items()
            if (r[field] if r[field] is not None else EMPTY[field]) in typed
        }
        return hit if op == "in" else set(ROWS) - hit
    return {
        key
        for key, row in ROWS.items()
        if COMPARE[op](row[field] if row[field] is not None else EMPTY[field], typed)
    }


@pytest.fixture
def typed_rows(ctx):
    for key, values in ROWS.items():
        ctx.new_doc("Uji Semua Tipe", text=key, **values).insert()
    return ctx


def _found(ctx, filters):
    return set(ctx.get_all("Uji Semua Tipe", filters=filters, pluck="text"))


@pytest.mark.parametrize("op", list(COMPARE))
@pytest.mark.parametrize(("field", "value", "typed"), PROBES, ids=lambda v: str(v))
def test_comparison_treats_null_as_the_empty_value(typed_rows, op, field, value, typed):
    assert _found(typed_rows, [[field, op, value]]) == _model(op, field, typed)


@pytest.mark.parametrize("op", ["in", "not in"])
@pytest.mark.parametrize(
    ("field", "values", "typed"),
    [
        ("data", ["beras", "gula"], ["beras", "gula"]),
        ("data", "beras, gula", ["beras", "gula"]),
        ("data", ["beras", ""], ["beras", ""]),
        ("int_val", ["0", 5], [0, 5]),
        ("int_val", [5, -3], [5, -3]),
        ("date", ["2026-05-14"], [dt.date(2026, 5, 14)]),
        ("time", ["00:00"], [dt.time(0, 0)]),
    ],
    ids=str,
)
def test_in_and_not_in_treat_null_as_the_empty_value(typed_rows, op, field, values, typed):
    assert _found(typed_rows, {field: [op, values]}) == _model(op, field, typed)


def test_empty_in_list_and_is_set(typed_rows):
    assert _found(typed_rows, {"data": ["in", []]}) == set()
    assert _found(typed_rows, {"data": ["not in", []]}) == set(ROWS)
    assert _found(typed_rows, {"data": ["is", "set"]}) == {"full", "other"}
    assert _found(typed_rows, {"data": ["is", "not set"]}) == {"zero", "null"}
    assert _found(typed_rows, {"int_val": ["is", "set"]}) == {"full", "zero", "other"}
    assert _found(typed_rows, {"date": ["IS", "Not Set"]}) == {"null"}
    assert _found(typed_rows, {"data": None}) == {"zero", "null"}


def test_like_on_text_dates_and_numbers(typed_rows):
    assert _found(typed_rows, {"data": ["like", "%ra%"]}) == {"full"}
    assert _found(typed_rows, {"data": ["not like", "%ra%"]}) == {"zero", "other", "null"}
    assert _found(typed_rows, {"data": ["not like", "%"]}) == set()  # '' LIKE '%'
    assert _found(typed_rows, {"date": ["like", "2026-05%"]}) == {"full"}
    assert _found(typed_rows, {"int_val": ["like", "-%"]}) == {"other"}


def test_values_are_coerced_to_the_field_type(typed_rows):
    assert _found(typed_rows, {"int_val": "5"}) == {"full"}
    assert _found(typed_rows, {"int_val": 5.0}) == {"full"}
    assert _found(typed_rows, {"date": dt.datetime(2026, 5, 14, 18, 0)}) == {"full"}
    assert _found(typed_rows, {"float_val": [">", "2.4"]}) == {"full", "other"}
    # a number sent for a text field is compared as text, never the reverse
    typed_rows.new_doc("Uji Semua Tipe", text="angka", data="7").insert()
    assert _found(typed_rows, {"data": 7}) == {"angka"}
    for bad in ({"int_val": "lima"}, {"date": "kemarin"}, {"time": ["<", "25:99"]}):
        with pytest.raises(FilterError):
            _found(typed_rows, bad)


def test_a_list_value_for_a_single_value_operator_is_refused(typed_rows):
    for bad in ([["data", "=", ["a"]]], [["int_val", ">", {"a": 1}]], {"data": ["like", [1]]}):
        with pytest.raises(FilterError, match="satu nilai"):
            _found(typed_rows, bad)


# -- or_filters ---------------------------------------------------------------------------


def test_or_filters_in_every_form_and_with_filters(typed_rows):
    ors = [["data", "=", "beras"], ["int_val", "<", 0]]
    assert _found(typed_rows, None) == set(ROWS)
    rows = typed_rows.get_all("Uji Semua Tipe", or_filters=ors, pluck="text")
    assert set(rows) == {"full", "other"}
    as_dict = typed_rows.get_all(
        "Uji Semua Tipe", or_filters={"data": "beras", "pilihan": "Dua"}, pluck="text"
    )
    assert set(as_dict) == {"full", "other"}
    both = typed_rows.get_all(
        "Uji Semua Tipe",
        filters={"float_val": [">", 5]},
        or_filters='[["data", "=", "beras"], ["int_val", "<", 0]]',
        pluck="text",
    )
    assert both == ["other"]
    assert typed_rows.get_count("Uji Semua Tipe", or_filters=ors) == 2


# -- child tables -------------------------------------------------------------------------


@pytest.fixture
def warga(ctx):
    ctx.new_doc(
        "Uji Validasi",
        kode="V1",
        nama="Satu",
        baris=[{"item": "beras", "jumlah": 3}, {"item": "minyak", "jumlah": 1}],
    ).insert()
    ctx.new_doc("Uji Validasi", kode="V2", nama="Dua", baris=[{"item": "gula"}]).insert()
    ctx.new_doc("Uji Validasi", kode="V3", nama="Tiga").insert()
    ctx.new_doc(
        "Uji Warga", nama="W1", baris=[{"item": "beras"}], baris_rahasia=[{"item": "emas"}]
    ).insert()
    return ctx


def test_child_filters_keep_one_row_per_record(warga):
    both = [["Uji Baris", "item", "in", ["beras", "minyak"]]]
    assert warga.get_all("Uji Validasi", filters=both, pluck="name") == ["V1"]
    assert warga.get_count("Uji Validasi", both) == 1
    # EXISTS a child row matching: a record without rows never matches
    blank = warga.get_all("Uji Validasi", filters={"catatan": None}, order_by="name", pluck="name")
    assert blank == ["V1", "V2"]
    routed = warga.get_all(
        "Uji Validasi", filters=[["item", "is", "set"]], order_by="name asc", pluck="name"
    )
    assert routed == ["V1", "V2"]
    # a child filter never matches rows of another parent DocType
    assert warga.get_all("Uji Validasi", filters={"item": "emas"}, pluck="name") == []
    # both tables of the same child type are searched
    assert warga.get_all("Uji Warga", filters={"item": "emas"}, pluck="nama") == ["W1"]


def test_child_filter_combines_with_parent_filter_and_or_filters(warga):
    rows = warga.get_all(
        "Uji Validasi",
        filters=[["Uji Baris", "jumlah", ">", 0], ["nama", "!=", "Dua"]],
        or_filters=[["Uji Baris", "item", "=", "gula"], ["kode", "=", "V1"]],
        pluck="name",
    )
    assert rows == ["V1"]


def test_dotted_filters_on_link_and_child_fields(warga):
    warga.new_doc("Uji Kait", judul="k1", validasi="V1").insert()
    warga.new_doc("Uji Kait", judul="k2", validasi="V2").insert()
    warga.new_doc("Uji Kait", judul="k3").insert()
    assert warga.get_all("Uji Kait", filters={"validasi.nama": "Dua"}, pluck="judul") == ["k2"]
    not_one = warga.get_all(
        "Uji Kait", filters={"validasi.nama": ["!=", "Satu"]}, order_by="judul", pluck="judul"
    )
    assert not_one == ["k2", "k3"]  # no linked record counts as empty, like Frappe
    assert warga.get_count("Uji Validasi", {"baris.item": ["like", "%a%"]}) == 2


# -- trees --------------------------------------------------------------------------------


@pytest.fixture
def tree(ctx):
    for kode, induk in (
        ("R", None),
        ("R.1", "R"),
        ("R.1.1", "R.1"),
        ("R.1.2", "R.1"),
        ("R.2", "R"),
        ("R.2.1", "R.2"),
    ):
        ctx.new_doc("Uji Pohon", kode=kode, induk=induk).insert()
    for judul, pohon in (("a", "R.1.1"), ("b", "R.1"), ("c", "R.2.1"), ("d", None), ("e", "R")):
        ctx.new_doc("Uji Kait", judul=judul, pohon=pohon).insert()
    return ctx


TREE_CASES = [
    ("pohon", "descendants of", "R.1", ["a"]),
    ("pohon", "descendants of (inclusive)", "R.1", ["a", "b"]),
    ("pohon", "descendants of", "R", ["a", "b", "c"]),
    ("pohon", "not descendants of", "R.1", ["b", "c", "d", "e"]),
    ("pohon", "ancestors of", "R.1.1", ["b", "e"]),
    ("pohon", "not ancestors of", "R.2.1", ["a", "b", "c", "d"]),
    ("pohon", "descendants of", "TIDAK ADA", []),
    ("pohon", "not descendants of", "TIDAK ADA", ["a", "b", "c", "d", "e"]),
]


@pytest.mark.parametrize("limit", [2000, 1])  # literal name list, then the sub-select
@pytest.mark.parametrize(("field", "op", "node", "expected"), TREE_CASES)
def test_tree_operators(tree, monkeypatch, limit, field, op, node, expected):
    monkeypatch.setattr(operators, "SUBTREE_LIST_LIMIT", limit)
    rows = tree.get_all("Uji Kait", filters=[[field, op, node]], order_by="judul", pluck="judul")
    assert rows == expected


def test_tree_operators_on_the_tree_itself(tree):
    below = tree.get_all("Uji Pohon", filters={"name": ["descendants of", "R.2"]}, pluck="name")
    assert below == ["R.2.1"]
    above = tree.get_all(
        "Uji Pohon", filters={"induk": ["ancestors of", "R.1.2"]}, order_by="name", pluck="name"
    )
    assert above == ["R.1", "R.1.1", "R.1.2", "R.2"]  # whose parent is an ancestor of R.1.2
    with pytest.raises(FilterError, match="pohon"):
        tree.get_all("Uji Kait", filters={"validasi": ["descendants of", "V1"]})
