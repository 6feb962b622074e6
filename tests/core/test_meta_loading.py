"""Meta is validated on load: a broken DocType file gives an error naming file, field, problem.

Each test writes a small throw-away app (a package with modules.txt and
`<module>/doctype/<name>/<name>.json`) and loads it with its own DocTypeFiles index.
"""

from __future__ import annotations

import importlib
import json
import secrets
import sys
from pathlib import Path

import pytest

from layanan_sosial.core.exceptions import MetaError
from layanan_sosial.core.meta.loader import DocTypeFiles

GOOD_FIELDS = [
    {"fieldname": "kode", "fieldtype": "Data", "label": "Kode"},
    {"fieldname": "nama", "fieldtype": "Data", "label": "Nama"},
]


@pytest.fixture
def tmp_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Factory: write one DocType file (dict or raw text) into a fresh importable app."""

    def write(content: dict | str, *, folder: str = "uji_rusak") -> tuple[DocTypeFiles, Path]:
        app = f"tmpapp_{secrets.token_hex(4)}"
        root = tmp_path / app
        (root / "modul_uji" / "doctype" / folder).mkdir(parents=True)
        (root / "__init__.py").write_text("")
        (root / "modules.txt").write_text("Modul Uji\n")
        path = root / "modul_uji" / "doctype" / folder / f"{folder}.json"
        text = content if isinstance(content, str) else json.dumps(content, indent=1)
        path.write_text(text, encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))
        importlib.invalidate_caches()
        return DocTypeFiles((app,)), path

    yield write
    for name in [m for m in sys.modules if m.startswith("tmpapp_")]:
        del sys.modules[name]


def doctype(**overrides) -> dict:
    data = {"doctype": "DocType", "name": "Uji Rusak", "fields": [dict(f) for f in GOOD_FIELDS]}
    data.update(overrides)
    return data


def load_error(tmp_app, content, **kw) -> tuple[str, Path, MetaError]:
    files, path = tmp_app(content, **kw)
    with pytest.raises(MetaError) as info:
        files.names()
    return str(info.value), path, info.value


def test_a_valid_file_loads(tmp_app):
    files, path = tmp_app(doctype(autoname="field:kode", title_field="nama"))
    assert files.names() == ["Uji Rusak"]
    assert files.sources["Uji Rusak"].path == path
    assert files.raw("Uji Rusak")["module"] == "Modul Uji"


def test_invalid_json_names_file_and_line(tmp_app):
    text = '{\n "doctype": "DocType",\n "name": "Uji Rusak",\n "fields": [,]\n}\n'
    message, path, _ = load_error(tmp_app, text)
    assert str(path) in message
    assert "invalid JSON at line 4" in message


def test_unknown_fieldtype(tmp_app):
    data = doctype()
    data["fields"][1]["fieldtype"] = "Teks Panjang"
    message, path, error = load_error(tmp_app, data)
    assert str(path) in message
    assert "'nama'" in message and error.field == "nama"
    assert "unknown fieldtype 'Teks Panjang'" in message


def test_duplicate_fieldname(tmp_app):
    data = doctype()
    data["fields"].append({"fieldname": "kode", "fieldtype": "Int"})
    message, path, error = load_error(tmp_app, data)
    assert str(path) in message
    assert error.field == "kode"
    assert "fieldname is used twice" in message


@pytest.mark.parametrize(
    "reserved, istable",
    [("name", 0), ("owner", 0), ("modified", 0), ("docstatus", 0), ("idx", 0), ("parent", 1)],
)
def test_reserved_fieldname(tmp_app, reserved, istable):
    data = doctype(istable=istable)
    data["fields"].append({"fieldname": reserved, "fieldtype": "Data"})
    message, path, error = load_error(tmp_app, data)
    assert str(path) in message
    assert error.field == reserved
    assert "reserved for a standard column" in message


def test_bad_fieldname_characters(tmp_app):
    data = doctype()
    data["fields"].append({"fieldname": "Nama Lengkap", "fieldtype": "Data"})
    message, path, error = load_error(tmp_app, data)
    assert str(path) in message and error.field == "Nama Lengkap"
    assert "lower case letters" in message


@pytest.mark.parametrize("fieldtype", ["Link", "Table", "Table MultiSelect", "Dynamic Link"])
def test_link_and_table_without_options(tmp_app, fieldtype):
    data = doctype()
    data["fields"].append({"fieldname": "tujuan", "fieldtype": fieldtype})
    message, path, error = load_error(tmp_app, data)
    assert str(path) in message
    assert error.field == "tujuan"
    assert f"{fieldtype} needs 'options'" in message


def test_autoname_field_that_does_not_exist(tmp_app):
    message, path, _ = load_error(tmp_app, doctype(autoname="field:nomor"))
    assert str(path) in message
    assert "autoname 'field:nomor' names a field that does not exist" in message


def test_naming_series_rule_without_its_field(tmp_app):
    message, path, _ = load_error(tmp_app, doctype(autoname="naming_series:"))
    assert str(path) in message and "'naming_series' Select field" in message


def test_title_field_that_does_not_exist(tmp_app):
    message, path, _ = load_error(tmp_app, doctype(title_field="judul"))
    assert str(path) in message
    assert "title_field 'judul' is not a field of this DocType" in message


def test_sort_field_and_search_fields_are_checked(tmp_app):
    message, _, _ = load_error(tmp_app, doctype(sort_field="tanggal"))
    assert "sort_field 'tanggal'" in message
    message, _, _ = load_error(tmp_app, doctype(search_fields="nama, alamat"))
    assert "search_fields names unknown field 'alamat'" in message


def test_bad_length_and_unique_text(tmp_app):
    data = doctype()
    data["fields"][0]["length"] = 5000
    message, _, error = load_error(tmp_app, data)
    assert error.field == "kode" and "length must be an integer 1–1000" in message
    data = doctype()
    data["fields"].append({"fieldname": "catatan", "fieldtype": "Long Text", "unique": 1})
    message, _, error = load_error(tmp_app, data)
    assert error.field == "catatan" and "cannot be unique" in message


def test_file_name_must_match_doctype_name(tmp_app):
    message, path, _ = load_error(tmp_app, doctype(name="Uji Lain"))
    assert str(path) in message
    assert "file name must be uji_lain.json for DocType 'Uji Lain'" in message


def test_child_table_cannot_be_submittable(tmp_app):
    message, path, _ = load_error(tmp_app, doctype(istable=1, is_submittable=1))
    assert str(path) in message and "cannot be submittable" in message
