"""User text never becomes SQL: names are checked against meta, operators against a closed
list, values are bound parameters. Every statement sent to the database is recorded and
searched for the hostile text — on SQLite and MariaDB."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from layanan_sosial.core.exceptions import FilterError

HOSTILE = [
    {"fields": ["judul; DROP TABLE `tabUji Kait`"]},
    {"fields": ["(select name from tabUser)"]},
    {"fields": ["sleep(1)"]},
    {"fields": ["judul as `x`; --"]},
    {"fields": ["judul as x -- "]},
    {"fields": ["count(*) as n, (select 1)"]},
    {"fields": ["sum(judul) over ()"]},
    {"fields": ["`tabUser`.password"]},
    {"fields": ["validasi.nama)"]},
    {"fields": ["judul /* x */"]},
    {"fields": "judul, sleep(1)"},
    {"fields": '["judul", "sleep(1)"]'},
    {"order_by": "judul; drop table x"},
    {"order_by": "(select 1)"},
    {"order_by": "judul desc, sleep(3)"},
    {"order_by": "judul desc limit 1"},
    {"order_by": "if(1=1, judul, angka)"},
    {"order_by": "judul collate utf8mb4_bin"},
    {"order_by": "judul sideways"},
    {"group_by": "1=1"},
    {"group_by": "judul having 1=1"},
    {"group_by": "judul) union select 1 --"},
    {"filters": [["judul", "ilike", "a"]]},
    {"filters": [["judul", "= 1 or 1=1 --", "a"]]},
    {"filters": [["judul) or (1=1", "=", "a"]]},
    {"filters": [["Uji Kait`; drop table x; --", "judul", "=", "a"]]},
    {"filters": [["tabUser", "name", "=", "a"]]},
    {"filters": {"judul or 1": 1}},
    {"filters": {"sleep(1)": 1}},
    {"filters": '[["judul", "=", "a"]]; drop table x'},
    {"or_filters": [["1", "=", "1"]]},
    {"pluck": "judul; drop table x"},
    {"limit_page_length": "1; drop table x"},
    {"limit_start": "0 union select 1"},
]


@pytest.fixture
def kait(ctx):
    ctx.new_doc("Uji Validasi", kode="V1", nama="Satu").insert()
    for judul in ("a", "b"):
        ctx.new_doc("Uji Kait", judul=judul, validasi="V1").insert()
    return ctx


@pytest.fixture
def statements(ctx, kait):
    """Every SQL text this context sends once the test data is in."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    sa.event.listen(ctx.conn, "before_cursor_execute", record)
    yield seen
    sa.event.remove(ctx.conn, "before_cursor_execute", record)


@pytest.mark.parametrize("kwargs", HOSTILE, ids=lambda kw: repr(kw)[:60])
def test_hostile_names_are_refused_before_any_sql(kait, statements, kwargs):
    with pytest.raises(FilterError):
        kait.get_list("Uji Kait", **kwargs)
    counted = {k: v for k, v in kwargs.items() if k in ("filters", "or_filters", "group_by")}
    if counted:
        with pytest.raises(FilterError):
            kait.get_count("Uji Kait", **counted)
    sent = " ".join(statements).lower()
    for word in ("drop", "sleep", "union", "having", "collate", "limit 1", "1=1", "--"):
        assert word not in sent
    assert kait.get_count("Uji Kait") == 2


@pytest.mark.parametrize(
    "value",
    [
        "a' OR '1'='1",
        "a\\' OR 1=1 -- ",
        "'; DROP TABLE `tabUji Kait`; --",
        "%' OR judul LIKE '%",
    ],
)
def test_hostile_values_are_bound_never_inlined(kait, statements, value):
    for filters in (
        {"judul": value},
        {"judul": ["like", value]},
        {"judul": ["in", [value, "zz"]]},
        {"judul": ["!=", value]},
        [["Uji Kait", "judul", "not in", [value]]],
        {"validasi.nama": value},
    ):
        rows = kait.get_all("Uji Kait", filters=filters, pluck="judul")
        expected = ["a", "b"] if "!=" in str(filters) or "not in" in str(filters) else []
        assert sorted(rows) == expected
    assert kait.get_value("Uji Kait", value, "judul") is None
    for statement in statements:
        assert value.lower() not in statement.lower()
        assert "drop" not in statement.lower()
    assert kait.get_count("Uji Kait") == 2


def test_standard_columns_are_allowed_and_private_tables_are_not(kait):
    rows = kait.get_all(
        "Uji Kait",
        fields=[
            "name",
            "owner",
            "creation",
            "modified",
            "modified_by",
            "docstatus",
            "idx",
            "_user_tags",
            "_assign",
            "_comments",
            "_liked_by",
        ],
        filters={"docstatus": 0, "owner": "Administrator", "_assign": ["is", "not set"]},
    )
    assert len(rows) == 2 and rows[0]["owner"] == "Administrator"
    for bad in ("parent", "parenttype", "_seen", "lft"):  # not columns of Uji Kait
        with pytest.raises(FilterError, match=bad):
            kait.get_all("Uji Kait", fields=[bad])
    with pytest.raises(FilterError):
        kait.get_all("Uji Kait", fields=["`tab__Auth`.password"])


def test_every_operator_outside_the_closed_list_is_refused(kait):
    for op in ("regexp", "rlike", "sounds like", "<=>", "is not", "not between", "exists", ""):
        with pytest.raises(FilterError, match="Operator must be one of"):
            kait.get_all("Uji Kait", filters=[["judul", op, "a"]])
