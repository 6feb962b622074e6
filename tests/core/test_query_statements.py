"""The shape of the SQL: one statement per call whatever the number of rows (no N+1), only
the requested columns selected, and one place where permission conditions join —
on SQLite and MariaDB."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from layanan_sosial.core.query import builder
from layanan_sosial.core.query.get_list import build_select


@pytest.fixture
def counted(ctx):
    """(ctx, list of statements sent since the last clear)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    for kode, induk in (("R", None), ("R.1", "R"), ("R.2", "R")):
        ctx.new_doc("Uji Pohon", kode=kode, induk=induk).insert()
    ctx.new_doc("Uji Validasi", kode="V1", nama="Satu", baris=[{"item": "beras"}]).insert()
    sa.event.listen(ctx.conn, "before_cursor_execute", record)
    yield ctx, seen
    sa.event.remove(ctx.conn, "before_cursor_execute", record)


def _add_rows(ctx, count):
    ctx.insert_many(
        "Uji Kait",
        [{"judul": f"j{i}", "validasi": "V1", "pohon": "R.1", "angka": i} for i in range(count)],
    )


@pytest.mark.parametrize("rows", [3, 60])
def test_one_statement_per_call_whatever_the_row_count(counted, rows):
    ctx, seen = counted
    _add_rows(ctx, rows)
    calls = {
        "plain": lambda: ctx.get_all("Uji Kait"),
        "joined": lambda: ctx.get_all(
            "Uji Kait",
            fields=["judul", "validasi.nama", "pohon.nama", "count(name) as n"],
            filters={"validasi.nama": "Satu", "angka": [">=", 0]},
            or_filters=[["judul", "like", "j%"], ["angka", "<", 0]],
            group_by="judul, validasi.nama, pohon.nama",
            order_by="n desc",
        ),
        "child": lambda: ctx.get_all(
            "Uji Validasi", fields=["name", "baris.item"], filters={"item": "beras"}
        ),
        "count": lambda: ctx.get_count("Uji Kait", {"validasi.nama": "Satu"}),
        "value": lambda: ctx.get_value("Uji Kait", {"angka": 1}, ["judul", "validasi.nama"]),
    }
    for name, call in calls.items():
        seen.clear()
        call()
        assert len(seen) == 1, name
    seen.clear()
    assert len(ctx.get_all("Uji Kait", filters={"pohon": ["descendants of", "R"]})) == rows
    assert len(seen) == 3  # the node's lft/rgt, the subtree's names, the list


def test_only_the_requested_columns_are_selected(counted):
    ctx, _ = counted
    _, stmt = build_select(ctx, "Uji Kait", fields=["judul", "validasi.nama as v"])
    assert [c.name for c in stmt.selected_columns] == ["judul", "v"]
    sql = str(stmt.compile(ctx.conn))
    assert "angka" not in sql and "tanggal" not in sql and "owner" not in sql


def test_permission_conditions_join_in_one_place(counted, monkeypatch):
    """Every path (list, count, value) takes its permission condition from
    QueryBuilder.permission(); a condition returned there narrows all of them."""
    ctx, _ = counted
    _add_rows(ctx, 5)
    calls = []

    def only_j1(self):
        calls.append(self.doctype)
        return self.table.c.judul == "j1"

    monkeypatch.setattr(builder.QueryBuilder, "permission", only_j1)
    assert ctx.get_all("Uji Kait", pluck="judul") == ["j1"]
    assert ctx.get_count("Uji Kait") == 1
    assert ctx.get_value("Uji Kait", {"angka": 2}, "judul") is None
    assert ctx.get_value("Uji Kait", {"angka": 1}, "judul") == "j1"
    assert calls == ["Uji Kait"] * 4


def test_indexed_filter_and_sort_stay_fast(ctx):
    ctx.insert_many("Uji Urut", [{"kode": f"K{i:05}", "nomor": i % 500} for i in range(5000)])
    ctx.get_all("Uji Urut", filters={"nomor": 7}, order_by="nomor desc")  # warm the caches
    started = time.perf_counter()
    for _ in range(20):
        rows = ctx.get_list(
            "Uji Urut", fields=["kode", "nomor"], filters={"nomor": 7}, order_by="kode desc"
        )
    elapsed = (time.perf_counter() - started) / 20
    assert [r["kode"] for r in rows] == [f"K{i:05}" for i in range(4507, 0, -500)]
    assert elapsed < 0.05, f"{elapsed * 1000:.1f} ms per call"
