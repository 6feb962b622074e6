"""Server-side validation: every rule refuses bad input with a field-level error."""

from __future__ import annotations

import pytest

from layanan_sosial.core.exceptions import (
    CancelledLinkError,
    CannotChangeConstantError,
    CharacterLengthExceededError,
    InvalidEmailAddressError,
    LinkValidationError,
    MandatoryError,
    NonNegativeError,
    UniqueValidationError,
    ValidationError,
)


def _valid(**extra):
    return {"kode": "K-1", "nama": "Ani", **extra}


def test_mandatory_fields_are_listed_together(ctx):
    with pytest.raises(MandatoryError) as err:
        ctx.new_doc("Uji Validasi", kode="K-1").insert()
    assert err.value.fields == ["nama"]
    assert "Nama" in err.value.message


def test_mandatory_depends_on_is_enforced_on_the_server(ctx):
    with pytest.raises(MandatoryError) as err:
        ctx.new_doc("Uji Validasi", _valid(jenis="Lembaga")).insert()
    assert err.value.fields == ["nama_lembaga"]
    # the condition is false: not mandatory
    ctx.new_doc("Uji Validasi", _valid(jenis="Perorangan")).insert()


def test_mandatory_in_child_rows_names_the_row(ctx):
    with pytest.raises(MandatoryError) as err:
        ctx.new_doc("Uji Validasi", _valid(baris=[{"item": "a"}, {"jumlah": 1}])).insert()
    assert err.value.errors[0]["row"] == 2
    assert err.value.errors[0]["field"] == "item"


def test_select_value_must_be_an_option(ctx):
    with pytest.raises(ValidationError) as err:
        ctx.new_doc("Uji Validasi", _valid(jenis="Koperasi")).insert()
    assert err.value.field == "jenis"


def test_select_defaults_to_first_option(ctx):
    doc = ctx.new_doc("Uji Validasi", _valid()).insert()
    assert doc.jenis == "Perorangan"


def test_length_is_checked(ctx):
    with pytest.raises(CharacterLengthExceededError) as err:
        ctx.new_doc("Uji Validasi", _valid(kode="K" * 21)).insert()
    assert err.value.field == "kode"


@pytest.mark.parametrize(
    ("field", "value", "exc"),
    [
        ("email", "bukan-email", InvalidEmailAddressError),
        ("telepon", "abc", ValidationError),
        ("situs", "ftp:x", ValidationError),
        ("jumlah", -1, NonNegativeError),
    ],
)
def test_data_options_and_non_negative(ctx, field, value, exc):
    with pytest.raises(exc) as err:
        ctx.new_doc("Uji Validasi", _valid(**{field: value})).insert()
    assert err.value.field == field


def test_unique_field_refuses_a_duplicate(ctx):
    ctx.new_doc("Uji Validasi", _valid(nik="5371010101010001")).insert()
    with pytest.raises(UniqueValidationError) as err:
        ctx.new_doc("Uji Validasi", _valid(kode="K-2", nik="5371010101010001")).insert()
    assert err.value.field == "nik"


def test_set_only_once_cannot_change(ctx):
    doc = ctx.new_doc("Uji Validasi", _valid(nik="5371010101010002")).insert()
    doc.nik = "5371010101010003"
    with pytest.raises(CannotChangeConstantError):
        doc.save()


def test_link_must_exist_and_fetch_from_copies(ctx):
    with pytest.raises(LinkValidationError) as err:
        ctx.new_doc("Uji Validasi", _valid(role="Tidak Ada")).insert()
    assert err.value.field == "role"
    doc = ctx.new_doc("Uji Validasi", _valid(role="Guest")).insert()
    assert doc.role_desk == 0
    doc2 = ctx.new_doc("Uji Validasi", _valid(kode="K-2", role="System Manager")).insert()
    assert doc2.role_desk == 1


def test_link_to_a_cancelled_document_is_refused(ctx):
    p = ctx.new_doc("Uji Pengajuan", judul="x").insert()
    p.submit()
    p.cancel()
    with pytest.raises(CancelledLinkError):  # from a submittable document
        ctx.new_doc("Uji Hook", judul="x", pengajuan=p.name).insert()
    ctx.new_doc("Uji Kait", pengajuan=p.name).insert()  # a plain record may keep the reference


def test_child_non_negative(ctx):
    with pytest.raises(NonNegativeError):
        ctx.new_doc("Uji Validasi", _valid(baris=[{"item": "a", "jumlah": -3}])).insert()


def test_failed_insert_leaves_nothing_behind(ctx):
    """A late error (in a hook, after the child rows were built) writes no row at all."""
    with pytest.raises(ValidationError):
        with ctx.savepoint():
            ctx.new_doc("Uji Hook", judul="x", gagal_di="on_update", baris=[{"item": "a"}]).insert()
    hooks = "SELECT COUNT(*) FROM `tabUji Hook` WHERE judul = 'x'"
    assert ctx.conn.exec_driver_sql(hooks).scalar() == 0
    count = ctx.conn.exec_driver_sql(
        "SELECT COUNT(*) FROM `tabUji Baris` WHERE parenttype = 'Uji Hook' AND item = 'a'"
    ).scalar()
    assert count == 0


def test_duplicate_of_the_field_the_name_is_made_from_is_a_409(ctx):
    from layanan_sosial.core.exceptions import DuplicateEntryError

    ctx.new_doc("Uji Validasi", kode="DUP", nama="a").insert()
    with pytest.raises(DuplicateEntryError) as err:
        ctx.new_doc("Uji Validasi", kode="DUP", nama="b").insert()
    assert err.value.http_status == 409
