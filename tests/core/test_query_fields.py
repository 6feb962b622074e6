"""fields, order_by, group_by, paging, output shapes, get_count and get_value — every
parameter also as the JSON/text a REST client sends — on SQLite and MariaDB."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan_sosial.core.exceptions import FilterError, PermissionError_


@pytest.fixture
def data(ctx):
    ctx.new_doc(
        "Uji Validasi",
        kode="V1",
        nama="Satu",
        jumlah=4,
        baris=[{"item": "beras", "jumlah": 3}, {"item": "minyak", "jumlah": 1}],
    ).insert()
    ctx.new_doc("Uji Validasi", kode="V2", nama="Dua", jumlah=2).insert()
    for kode, nomor, kategori, jam in (
        ("U1", 3, "A", "08:15:00"),
        ("U2", 1, "B", None),
        ("U3", 2, "A", "23:59:59"),
        ("U4", None, None, None),
    ):
        ctx.new_doc(
            "Uji Urut", kode=kode, nomor=nomor, kategori=kategori, jam=jam, rincian={"n": nomor}
        ).insert()
    for judul, validasi in (("k1", "V1"), ("k2", "V2"), ("k3", None)):
        ctx.new_doc("Uji Kait", judul=judul, validasi=validasi, angka=len(judul)).insert()
    return ctx


# -- fields -------------------------------------------------------------------------------


def test_default_field_is_name_and_star_is_every_column(data):
    assert data.get_all("Uji Urut", order_by="name") == [
        {"name": "U1"},
        {"name": "U2"},
        {"name": "U3"},
        {"name": "U4"},
    ]
    star = data.get_all("Uji Urut", fields=["*"], filters={"name": "U1"})[0]
    assert set(star) == set(data.get_meta("Uji Urut").column_names())
    assert star["rincian"] == {"n": 3} and star["jam"] == dt.time(8, 15)  # decoded
    assert data.get_all("Uji Urut", fields="`tabUji Urut`.*", filters={"name": "U1"}) == [star]


def test_link_fields_join_the_target(data):
    rows = data.get_all(
        "Uji Kait",
        fields=["judul", "validasi.nama", "validasi.jumlah as jml", "`validasi`.kode"],
        order_by="judul",
    )
    assert rows == [
        {"judul": "k1", "validasi.nama": "Satu", "jml": 4, "validasi.kode": "V1"},
        {"judul": "k2", "validasi.nama": "Dua", "jml": 2, "validasi.kode": "V2"},
        {"judul": "k3", "validasi.nama": None, "jml": None, "validasi.kode": None},
    ]


def test_child_fields_give_one_row_per_child_row(data):
    rows = data.get_all(
        "Uji Validasi",
        fields=["name", "baris.item", "`tabUji Baris`.jumlah", "`tabUji Baris`.name"],
        order_by="name asc, baris.item desc",
    )
    assert [(r["name"], r["baris.item"], r["jumlah"]) for r in rows] == [
        ("V1", "minyak", 1),
        ("V1", "beras", 3),
        ("V2", None, None),  # no rows: still listed (left join)
    ]
    # the bare name is taken by the parent's `name`, so the child's keeps its full text
    assert rows[0]["`tabUji Baris`.name"] not in (None, "V1")
    own = data.get_all("Uji Validasi", fields=["`tabUji Validasi`.nama"], filters={"kode": "V2"})
    assert own == [{"nama": "Dua"}]


def test_aliases_and_aggregates(data):
    rows = data.get_all(
        "Uji Urut",
        fields=[
            "kategori as kat",
            "count(*) as n",
            "count(nomor)",
            "sum(nomor) as total",
            "avg(nomor) as rata",
            "min(jam) as awal",
            "max(nomor)",
        ],
        filters={"kategori": ["is", "set"]},
        group_by="kategori",
        order_by="kat asc",
    )
    assert rows == [
        {
            "kat": "A",
            "n": 2,
            "count(nomor)": 2,
            "total": 5,
            "rata": 2.5,
            "awal": dt.time(8, 15),
            "max(nomor)": 3,
        },
        {
            "kat": "B",
            "n": 1,
            "count(nomor)": 1,
            "total": 1,
            "rata": 1.0,
            "awal": None,
            "max(nomor)": 1,
        },
    ]
    assert type(rows[0]["total"]) is int and type(rows[0]["rata"]) is float
    distinct = data.get_all("Uji Urut", fields=["count(distinct kategori) as k"])
    assert distinct == [{"k": 2}]
    floats = data.get_all("Uji Validasi", fields=["sum(baris.jumlah) as s", "avg(jumlah) as a"])
    assert floats == [{"s": 4, "a": 10 / 3}]  # one row per child row: V1 counts twice


@pytest.mark.parametrize(
    ("token", "named"),
    [
        ("nomor + 1", "nomor + 1"),
        ("sum(nomor) + 1", "sum(nomor) + 1"),
        ("sum(*)", "sum(*)"),
        ("count(distinct *)", "count(distinct *)"),
        ("concat(kode)", "concat(kode)"),
        ("count(nomor, kode)", "nomor, kode"),
        ("tidak_ada", "tidak_ada"),
        ("validasi.tidak_ada", "validasi"),
        ("judul.nama", "judul"),  # not a Link or Table field
        ("`tabUji Baris`.item", "Uji Baris"),  # not a child of Uji Urut
        ("nomor as", "nomor as"),
        ("nomor as 1x", "nomor as 1x"),
        ("nomor as a b", "nomor as a b"),
        ("*, nomor", "*, nomor"),
        ("", "''"),
    ],
)
def test_unknown_field_tokens_are_refused_by_name(data, token, named):
    with pytest.raises(FilterError) as err:
        data.get_all("Uji Urut", fields=["kode", token])
    assert named in str(err.value)


# -- order_by / group_by ------------------------------------------------------------------


def test_default_order_comes_from_meta(data):
    assert data.get_all("Uji Urut", pluck="name") == ["U4", "U2", "U3", "U1"]  # nomor ASC
    stamps = data.get_all("Uji Kait", pluck="modified")
    assert stamps == sorted(stamps, reverse=True)  # modified desc


@pytest.mark.parametrize(
    ("order_by", "expected"),
    [
        ("nomor desc", ["U1", "U3", "U2", "U4"]),
        ("kategori asc, nomor desc", ["U4", "U1", "U3", "U2"]),
        ("`tabUji Urut`.nomor DESC", ["U1", "U3", "U2", "U4"]),
        ("  kode   desc ", ["U4", "U3", "U2", "U1"]),
        (["kategori desc", "kode"], ["U2", "U1", "U3", "U4"]),
        ('["kategori desc", "kode asc"]', ["U2", "U1", "U3", "U4"]),
        ('"nomor desc"', ["U1", "U3", "U2", "U4"]),
    ],
)
def test_order_by(data, order_by, expected):
    assert data.get_all("Uji Urut", order_by=order_by, pluck="name") == expected


def test_order_by_alias_link_path_and_unselected_aggregate(data):
    by_alias = data.get_all("Uji Urut", fields=["name", "nomor as n"], order_by="n desc")
    assert [r["name"] for r in by_alias] == ["U1", "U3", "U2", "U4"]
    by_link = data.get_all("Uji Kait", fields=["judul"], order_by="validasi.nama desc")
    assert [r["judul"] for r in by_link][:2] == ["k1", "k2"]  # Satu, Dua, then NULL
    groups = data.get_all(
        "Uji Urut", fields=["kategori"], group_by="kategori", order_by="count(*) desc, kategori"
    )
    assert groups == [{"kategori": "A"}, {"kategori": None}, {"kategori": "B"}]


@pytest.mark.parametrize(
    ("group_by", "expected"),
    [
        ("kategori", 3),
        (["kategori"], 3),
        ('["kategori", "nomor"]', 4),
        ("`tabUji Urut`.kategori", 3),
    ],
)
def test_group_by_forms_and_count_of_groups(data, group_by, expected):
    rows = data.get_all("Uji Urut", fields=["kategori", "count(*) as n"], group_by=group_by)
    assert len(rows) == expected
    assert data.get_count("Uji Urut", group_by=group_by) == expected


@pytest.mark.parametrize(
    "group_by", ["count(*)", "*", "kategori; drop", "tidak_ada", "1", "n", "kategori, n"]
)
def test_bad_group_by_is_refused(data, group_by):
    with pytest.raises(FilterError):
        data.get_all("Uji Urut", fields=["kategori", "count(*) as n"], group_by=group_by)


# -- paging and output shapes -------------------------------------------------------------


def test_paging_and_aliases_of_paging_parameters(data):
    order = {"order_by": "nomor desc", "pluck": "name"}
    assert data.get_list("Uji Urut", **order) == ["U1", "U3", "U2", "U4"]
    assert data.get_list("Uji Urut", limit_page_length=2, **order) == ["U1", "U3"]
    assert data.get_list("Uji Urut", limit_start=1, limit_page_length=2, **order) == ["U3", "U2"]
    assert data.get_list("Uji Urut", limit="1", start="3", **order) == ["U4"]
    assert data.get_list("Uji Urut", page_length=1, limit_start=1, **order) == ["U3"]
    assert data.get_list("Uji Urut", limit_start="2", limit_page_length="0", **order) == [
        "U2",
        "U4",
    ]
    assert data.get_list("Uji Urut", limit_start=10, **order) == []
    for bad in ({"limit_page_length": -1}, {"limit_start": "x"}, {"limit": "1; drop"}):
        with pytest.raises(FilterError):
            data.get_list("Uji Urut", **bad)


def test_get_list_defaults_to_twenty_rows(ctx):
    ctx.insert_many("Uji Urut", [{"kode": f"P{i:02}", "nomor": i} for i in range(25)])
    assert len(ctx.get_list("Uji Urut")) == 20
    assert len(ctx.get_list("Uji Urut", limit_page_length=0)) == 25
    assert len(ctx.get_all("Uji Urut")) == 25


@pytest.mark.parametrize("flag", [False, 0, "0", "false", "False"])
def test_as_dict_false_gives_tuples(data, flag):
    rows = data.get_all(
        "Uji Urut", fields=["kode", "nomor"], order_by="kode", as_dict=flag, limit=2
    )
    assert rows == [("U1", 3), ("U2", 1)]


def test_pluck_and_distinct(data):
    assert data.get_all("Uji Urut", pluck="kategori", filters={"nomor": [">", 1]}) == ["A", "A"]
    kinds = data.get_all("Uji Urut", fields=["kategori"], distinct=True, order_by="kategori")
    assert kinds == [{"kategori": None}, {"kategori": "A"}, {"kategori": "B"}]
    assert data.get_all("Uji Urut", pluck="kategori", distinct="1", order_by="kategori") == [
        None,
        "A",
        "B",
    ]
    with pytest.raises(FilterError):
        data.get_all("Uji Urut", pluck="tidak_ada")


def test_every_parameter_accepts_the_json_a_rest_client_sends(data):
    rows = data.get_list(
        "Uji Kait",
        fields='["judul", "validasi.nama as vn"]',
        filters='{"angka": [">", 1]}',
        or_filters='[["judul", "=", "k1"], ["validasi", "=", "V2"]]',
        order_by="judul desc",
        limit_page_length="20",
        limit_start="0",
        as_dict="1",
    )
    assert rows == [{"judul": "k2", "vn": "Dua"}, {"judul": "k1", "vn": "Satu"}]
    assert data.get_list("Uji Kait", fields="judul", filters='[["judul", "k3"]]') == [
        {"judul": "k3"}
    ]


# -- child DocTypes -----------------------------------------------------------------------


def test_listing_a_child_doctype_by_its_parent(data):
    data.new_doc("Uji Semua Tipe", data="x", baris=[{"item": "garam"}]).insert()
    rows = data.get_all("Uji Baris", fields=["item", "parent"], parent="Uji Validasi")
    assert sorted(r["item"] for r in rows) == ["beras", "minyak"]
    assert {r["parent"] for r in rows} == {"V1"}
    other = data.get_all("Uji Baris", pluck="item", parent="Uji Semua Tipe")
    assert other == ["garam"]
    narrowed = data.get_all(
        "Uji Baris",
        pluck="item",
        parent="Uji Validasi",
        filters={"parentfield": "baris", "jumlah": [">", 1]},
    )
    assert narrowed == ["beras"]
    assert data.get_count("Uji Baris", filters={"item": "garam"}, parent="Uji Validasi") == 0
    with pytest.raises(PermissionError_, match="Uji Kait"):  # not a parent of Uji Baris
        data.get_all("Uji Baris", parent="Uji Kait")
    # engine code (no permission checks) may read every row of a child table
    assert len(data.get_all("Uji Baris")) == 3


def test_a_user_must_name_the_parent_of_a_child_doctype(site):
    with site.begin(user="Guest") as guest, pytest.raises(PermissionError_, match="parent"):
        guest.get_list("Uji Baris")


# -- get_count ----------------------------------------------------------------------------


def test_get_count(data):
    assert data.get_count("Uji Urut") == 4
    assert data.get_count("Uji Urut", {"nomor": [">", 1]}) == 2
    assert data.get_count("Uji Urut", '{"kategori": "A"}') == 2
    assert data.get_count("Uji Urut", or_filters=[["nomor", "=", 1], ["nomor", "=", 3]]) == 2
    assert data.get_count("Uji Urut", distinct=True) == 4
    assert data.get_count("Uji Validasi", {"baris.jumlah": [">", 0]}) == 1  # joined, once
    assert data.get_count("Uji Validasi", [["Uji Baris", "jumlah", ">", 0]]) == 1


# -- get_value ----------------------------------------------------------------------------


def test_get_value_by_name_dict_list_and_json(data):
    assert data.get_value("Uji Urut", "U1", "nomor") == 3
    assert data.get_value("Uji Urut", "U1") == "U1"
    assert data.get_value("Uji Urut", {"kategori": "B"}, "kode") == "U2"
    assert data.get_value("Uji Urut", [["nomor", ">", 2]], "kode") == "U1"
    assert data.get_value("Uji Urut", '{"nomor": 2}', "kode") == "U3"
    assert data.get_value("Uji Urut", "U1", ["kode", "nomor"]) == ("U1", 3)
    assert data.get_value("Uji Urut", "U1", '["kode", "jam"]') == ("U1", dt.time(8, 15))
    assert data.get_value("Uji Urut", "U1", ["rincian"]) == ({"n": 3},)
    assert data.get_value("Uji Urut", "U1", ["kode", "nomor"], as_dict=True) == {
        "kode": "U1",
        "nomor": 3,
    }
    assert data.get_value("Uji Urut", {"kategori": "A"}, "kode", order_by="nomor asc") == "U3"
    assert data.get_value("Uji Urut", {"kategori": "A"}, "kode", order_by="nomor desc") == "U1"
    assert data.get_value("Uji Urut", "TIDAK ADA", "nomor") is None
    assert data.get_value("Uji Kait", {"judul": "k1"}, "validasi.nama") == "Satu"
    assert data.get_value("Uji Kait", {"judul": "k1"}, ["validasi.nama as vn"], as_dict=1) == {
        "vn": "Satu"
    }
    everything = data.get_value("Uji Urut", "U2", "*", as_dict=True)
    assert everything["kode"] == "U2" and everything["kategori"] == "B" and "owner" in everything
    assert len(data.get_value("Uji Urut", "U2", "*")) == len(everything)
    with pytest.raises(FilterError):
        data.get_value("Uji Urut", "U1", "nomor; drop table x")


def test_get_value_by_integer_name(ctx):
    doc = ctx.new_doc("Uji Autoinc", judul="angka").insert()
    assert ctx.get_value("Uji Autoinc", int(doc.name), "judul") == "angka"
    assert ctx.get_value("Uji Autoinc", str(doc.name), "judul") == "angka"


def test_get_value_of_a_single_doctype(ctx):
    assert ctx.get_value("Uji Tunggal", None, "bobot") == 0.8  # the default, never saved
    doc = ctx.get_doc("Uji Tunggal")
    doc.update({"judul": "Pengaturan", "bobot": 0.5, "aktif": 1})
    doc.save()
    assert ctx.get_value("Uji Tunggal", "Uji Tunggal", "judul") == "Pengaturan"
    assert ctx.get_value("Uji Tunggal", None, ["bobot", "aktif"]) == (0.5, 1)
    assert ctx.get_value("Uji Tunggal", None, ["judul", "name"], as_dict=True) == {
        "judul": "Pengaturan",
        "name": "Uji Tunggal",
    }
    assert ctx.get_value("Uji Tunggal", None, "*", as_dict=True) == {
        "bobot": 0.5,
        "judul": "Pengaturan",
        "aktif": 1,
    }
    with pytest.raises(FilterError, match="tidak_ada"):
        ctx.get_value("Uji Tunggal", None, "tidak_ada")
    with pytest.raises(FilterError):
        ctx.get_list("Uji Tunggal")
