"""The report engine below REST: column forms, filters, the SQL checker and the read-only
second lock, the sync of standard report files, the Report controller's rules."""

from __future__ import annotations

import secrets

import pytest
import sqlalchemy as sa

from layanan_sosial.core.exceptions import PermissionError_, ValidationError
from layanan_sosial.core.report import filters as report_filters
from layanan_sosial.core.report import run_report
from layanan_sosial.core.report.columns import parse_column, total_row
from layanan_sosial.core.report.sql import _run_mariadb, _run_sqlite, check_query, run_query
from layanan_sosial.core.report.sync import report_files, sync_standard_reports

STANDARD = "Uji Daftar Warga"


# -- columns and rows ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Nama", {"fieldname": "nama", "label": "Nama", "fieldtype": "Data"}),
        (
            "Jumlah Warga:Int:80",
            {"fieldname": "jumlah_warga", "label": "Jumlah Warga", "fieldtype": "Int", "width": 80},
        ),
        (
            "Wilayah:Link/Uji Wilayah:150",
            {
                "fieldname": "wilayah",
                "label": "Wilayah",
                "fieldtype": "Link",
                "options": "Uji Wilayah",
                "width": 150,
            },
        ),
        ("Total::100", {"fieldname": "total", "label": "Total", "fieldtype": "Data", "width": 100}),
        (
            {"label": "Nilai Indeks", "fieldtype": "Float"},
            {"fieldname": "nilai_indeks", "label": "Nilai Indeks", "fieldtype": "Float"},
        ),
        (
            {"fieldname": "ikm", "precision": 2},
            {"fieldname": "ikm", "label": "Ikm", "fieldtype": "Data", "precision": 2},
        ),
    ],
)
def test_column_forms(given, expected):
    assert parse_column(given) == expected


def test_bad_columns_are_refused():
    with pytest.raises(ValidationError, match="Lebar kolom"):
        parse_column("Nama:Data:lebar")
    with pytest.raises(ValidationError, match="tanpa fieldname"):
        parse_column({"fieldtype": "Int"})


def test_total_row_sums_numbers_and_averages_percent():
    columns = [parse_column(c) for c in ("Unit", "Jumlah:Int", "Nilai:Currency", "Capaian:Percent")]
    rows = [
        {"unit": "A", "jumlah": 2, "nilai": 1500.5, "capaian": 80},
        {"unit": "B", "jumlah": 3, "nilai": None, "capaian": 90},
    ]
    assert total_row(columns, rows) == {
        "unit": "Total",
        "jumlah": 5,
        "nilai": 1500.5,
        "capaian": 85,
    }


# -- filters ---------------------------------------------------------------------------

DEFS = [
    {"fieldname": "dari", "label": "Dari Tanggal", "fieldtype": "Date", "reqd": 1},
    {
        "fieldname": "kelompok",
        "label": "Kelompok",
        "fieldtype": "Select",
        "options": "Unit\nLayanan",
        "default": "Unit",
    },
    {"fieldname": "batas", "label": "Batas", "fieldtype": "Int"},
]


def test_filters_defaults_types_and_messages():
    assert report_filters.resolve(
        DEFS, report_filters.parse_values('{"dari": "2026-01-31", "batas": "5"}')
    ) == {
        "dari": "2026-01-31",
        "kelompok": "Unit",
        "batas": 5,
    }
    with pytest.raises(ValidationError, match="^Filter wajib diisi: Dari Tanggal$"):
        report_filters.resolve(DEFS, {})
    with pytest.raises(
        ValidationError, match=r"Filter Dari Tanggal: '31-01-2026' bukan tanggal \(YYYY-MM-DD\)"
    ):
        report_filters.resolve(DEFS, {"dari": "31-01-2026"})
    with pytest.raises(
        ValidationError,
        match=r"Filter Kelompok: 'Wilayah' bukan pilihan yang sah \(Unit, Layanan\)",
    ):
        report_filters.resolve(DEFS, {"dari": "2026-01-31", "kelompok": "Wilayah"})


# -- SQL -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "select 'a;b' as x",
        "SELECT name FROM `tabUji Warga` WHERE nama = 'delete from x' ;",
        "select replace(nama, 'a', 'b') from `tabUji Warga`",
        "with t as (select 1 as a) select a from t",
        "select `update` from (select 1 as `update`) t",
    ],
)
def test_check_query_accepts_one_select(query):
    assert check_query(query).lower().startswith(("select", "with"))


def test_placeholders_colons_and_percent_literals(ctx):
    keys, rows = run_query(
        ctx,
        "select 'a:b' as `Teks`, '100%%' as persen, %(n)s as n, %(n)s as `Lagi:Int`",
        {"n": 7},
    )
    assert keys == ["Teks", "persen", "n", "Lagi:Int"]
    assert [tuple(str(v) for v in r) for r in rows] == [("a:b", "100%", "7", "7")]


def test_list_parameter_expands_for_in(ctx):
    keys, rows = run_query(
        ctx, "select name from `tabRole` where name in %(r)s order by name", {"r": ["Guest", "All"]}
    )
    assert [r[0] for r in rows] == ["All", "Guest"]


def test_database_refuses_writes_even_past_the_checker(site):
    """The second lock: a write statement that skipped check_query still cannot write."""
    with site.begin() as ctx:
        before = ctx.get_count("Role")
        runner = _run_mariadb if site.is_mariadb else _run_sqlite
        with pytest.raises(PermissionError_, match="hanya boleh membaca"):
            runner(ctx, sa.text("delete from `tabRole`"), {})
        with pytest.raises(PermissionError_, match="hanya boleh membaca"):
            runner(ctx, sa.text("insert into `tabRole` (name) values ('x')"), {})
    with site.begin() as ctx:
        assert ctx.get_count("Role") == before


# -- standard reports: sync ------------------------------------------------------------


def test_standard_report_files_are_found():
    found = {path.stem for _, path in report_files("layanan_test_app")}
    assert found == {"uji_daftar_warga"}


def test_sync_writes_nothing_twice_and_the_file_wins(ctx):
    first = sync_standard_reports(ctx)
    assert first["inserted"] == 0 and first["updated"] == 0  # migrate already synced them
    doc = ctx.get_doc("Report", STANDARD)
    assert doc.is_standard == "Yes" and doc.module == "Uji" and doc.report_type == "Script Report"
    assert sorted(r.role for r in doc.get_children("roles")) == ["System Manager", "Uji Petugas"]
    # an edit of a key the file names is reverted; `disabled` (not in the file) is kept
    ctx.set_value(
        "Report", STANDARD, {"add_total_row": 0, "disabled": 1, "roles": [{"role": "Guest"}]}
    )
    again = sync_standard_reports(ctx)
    assert again["updated"] == 1
    doc = ctx.get_doc("Report", STANDARD)
    assert doc.add_total_row == 1 and doc.disabled == 1
    assert sorted(r.role for r in doc.get_children("roles")) == ["System Manager", "Uji Petugas"]
    assert sync_standard_reports(ctx)["updated"] == 0


# -- the Report controller -------------------------------------------------------------


def _act_as(ctx, roles):
    email = f"lap.{secrets.token_hex(4)}@uji.id"
    for role in roles:
        if not ctx.exists("Role", role):
            ctx.new_doc("Role", role_name=role).insert()
    ctx.new_doc("User", email=email, first_name="lap", roles=[{"role": r} for r in roles]).insert()
    ctx.set_user(email)
    return email


def test_script_reports_exist_only_as_standard_files(ctx):
    with pytest.raises(ValidationError, match="Script Report hanya untuk laporan standar"):
        ctx.new_doc(
            "Report",
            report_name=f"S {secrets.token_hex(3)}",
            ref_doctype="Uji Warga",
            report_type="Script Report",
        ).insert()


def test_standard_report_changes_only_through_its_file(ctx):
    _act_as(ctx, ["System Manager"])
    with pytest.raises(PermissionError_, match="berkas aplikasinya"):
        ctx.set_value("Report", STANDARD, {"add_total_row": 0})
    with pytest.raises(PermissionError_, match="tidak dapat dihapus"):
        ctx.delete_doc("Report", STANDARD)


def test_query_report_sql_only_by_system_manager_even_with_write_access(ctx):
    name = f"Q {secrets.token_hex(3)}"
    ctx.new_doc(
        "Report",
        report_name=name,
        ref_doctype="Uji Warga",
        report_type="Query Report",
        query="select name from `tabUji Warga`",
    ).insert()
    _act_as(ctx, ["Uji Petugas"])
    # through save, DocPerms (and the Link to DocType) refuse first; the controller's own
    # rule holds even for a user who got write access some other way (share, Custom DocPerm)
    doc = ctx.get_doc("Report", name)
    doc.query = "select nama from `tabUji Warga`"
    with pytest.raises(PermissionError_, match="Hanya System Manager"):
        doc.validate()
    with pytest.raises(PermissionError_):
        doc.save()


def test_script_report_scoped_to_the_caller(ctx):
    """execute() gets the caller's ctx: a user who may not read Uji Warga cannot run it,
    a user with a User Permission sees only their region."""
    for kode, induk in (("R1", None), ("R2", None)):
        ctx.new_doc("Uji Wilayah", kode=kode, nama=kode, induk=induk).insert()
    prefix = f"S{secrets.token_hex(3)}"
    for wilayah in ("R1", "R2"):
        ctx.new_doc("Uji Warga", nama=f"{prefix}-{wilayah}", wilayah=wilayah).insert()
    email = _act_as(ctx, ["Uji Petugas"])
    with ctx.ignore_permissions():
        ctx.new_doc("User Permission", user=email, allow="Uji Wilayah", for_value="R2").insert()
    ctx.set_user(email)
    out = run_report(ctx, STANDARD, {"awalan": prefix})
    assert [r.get("nama") for r in out["result"]] == [f"{prefix}-R2", None]  # + total row
    ctx.set_user("Administrator")
    out = run_report(ctx, STANDARD, {"awalan": prefix})
    assert [r.get("nama") for r in out["result"]] == [f"{prefix}-R1", f"{prefix}-R2", None]


def test_a_query_past_the_time_limit_is_stopped(site, monkeypatch):
    from layanan_sosial.core.report import sql

    monkeypatch.setattr(sql, "MAX_SECONDS", 0.2)
    heavy = (
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 900) "
        "select count(*) from n a, n b, n c"
    )
    with site.begin() as ctx, pytest.raises(ValidationError, match="melebihi batas waktu"):
        run_query(ctx, heavy, {})
