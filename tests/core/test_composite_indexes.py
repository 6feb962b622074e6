"""Composite indexes declared in DocType JSON (`indexes`): validated on load, created by the
schema sync on both backends, and used where the list of a big table needs them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from layanan_sosial.core.exceptions import MetaError
from layanan_sosial.core.meta.validate import validate_doctype_dict


def _doctype(indexes):
    return {
        "name": "Uji Indeks",
        "module": "Uji",
        "fields": [
            {"fieldname": "wilayah", "fieldtype": "Data"},
            {"fieldname": "status", "fieldtype": "Select", "options": "A\nB"},
            {"fieldname": "catatan", "fieldtype": "Text"},
            {"fieldname": "baris", "fieldtype": "Table", "options": "Uji Baris"},
        ],
        "indexes": indexes,
    }


def test_valid_composite_index_is_accepted():
    validate_doctype_dict(_doctype([["wilayah", "status", "modified"]]), source="uji")


@pytest.mark.parametrize(
    ("indexes", "message"),
    [
        ("wilayah,status", "list of lists"),
        ([["wilayah"]], "two or more"),
        ([["wilayah", "tidak_ada"]], "unknown column 'tidak_ada'"),
        ([["wilayah", "baris"]], "unknown column 'baris'"),
        ([["wilayah", "catatan"]], "cannot be indexed"),
    ],
)
def test_bad_composite_index_is_refused_with_a_reason(indexes, message):
    with pytest.raises(MetaError) as info:
        validate_doctype_dict(_doctype(indexes), source="uji")
    assert message in str(info.value)


def test_penerima_manfaat_table_has_its_region_status_modified_index(site):
    with site.begin() as ctx:
        indexes = sa.inspect(ctx.conn).get_indexes("tabPenerima Manfaat")
    columns = {tuple(ix["column_names"]) for ix in indexes}
    assert ("wilayah", "status", "modified") in columns
