"""Every data field type survives a save and a fresh read on both databases."""

from __future__ import annotations

import datetime as dt

import pytest

from layanan_sosial.core.exceptions import DataError

VALUES = {
    "data": "Nusa Tenggara Timur — ümlaut ✓",
    "email": "petugas@dinsos.ntt.go.id",
    "link_role": "System Manager",
    "dyn_type": "Role",
    "dyn_link": "Guest",
    "pilihan": "Dua",
    "auto": "b",
    "read_only": "hanya baca",
    "phone": "+62 380 123456",
    "color": "#ff0000",
    "icon": "home",
    "small_text": "baris 1\nbaris 2",
    "text": "x" * 5000,
    "long_text": "y" * 70000,
    "code": "print('halo')",
    "text_editor": "<p>Halo <b>dunia</b></p>",
    "markdown": "# Judul",
    "html_editor": "<div>x</div>",
    "signature": "data:image/png;base64,AAAA",
    "barcode": "8991234567890",
    "geolocation": '{"type":"FeatureCollection","features":[]}',
    "attach": "/files/surat.pdf",
    "attach_image": "/private/files/foto.jpg",
    "int_val": -42,
    "long_int": 9_000_000_000_123,
    "check": 1,
    "float_val": 3.141592653,
    "currency": 1_250_000.5,
    "percent": 87.25,
    "duration": 3600.5,
    "rating": 0.8,
    "date": dt.date(2025, 1, 31),
    "datetime": dt.datetime(2025, 1, 31, 23, 59, 58, 123456),
    "time": dt.time(8, 30, 15),
    "json_val": {"kabupaten": ["Kupang", "Sikka"], "jumlah": 2},
}


def test_every_field_type_round_trips(ctx):
    doc = ctx.new_doc("Uji Semua Tipe", dict(VALUES))
    doc.append("baris", {"item": "beras", "jumlah": 5, "tanggal": "2025-02-01"})
    doc.append("tags", {"role": "Guest"})
    doc.insert()

    fresh = ctx.get_doc("Uji Semua Tipe", doc.name)
    for field, expected in VALUES.items():
        assert fresh.get(field) == expected, field
    assert fresh.baris[0].item == "beras"
    assert fresh.baris[0].jumlah == 5
    assert fresh.baris[0].tanggal == dt.date(2025, 2, 1)
    assert fresh.tags[0].role == "Guest"


def test_strings_from_json_are_coerced_to_field_types(ctx):
    doc = ctx.new_doc(
        "Uji Semua Tipe",
        int_val="12",
        float_val="2.5",
        check="1",
        date="2025-03-04",
        datetime="2025-03-04T05:06:07",
        time="10:11:12",
        json_val='{"a": 1}',
        rating="0.6",
    ).insert()
    fresh = ctx.get_doc("Uji Semua Tipe", doc.name)
    assert fresh.int_val == 12
    assert fresh.float_val == 2.5
    assert fresh.check == 1
    assert fresh.date == dt.date(2025, 3, 4)
    assert fresh.datetime == dt.datetime(2025, 3, 4, 5, 6, 7)
    assert fresh.time == dt.time(10, 11, 12)
    assert fresh.json_val == {"a": 1}
    assert fresh.rating == 0.6


def test_empty_values_round_trip_as_null_and_check_as_zero(ctx):
    doc = ctx.new_doc("Uji Semua Tipe", int_val="", date="", data=None).insert()
    fresh = ctx.get_doc("Uji Semua Tipe", doc.name)
    assert fresh.int_val is None
    assert fresh.date is None
    assert fresh.check == 0
    assert fresh.data is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("int_val", "dua belas"),
        ("int_val", 1.5),
        ("float_val", "abc"),
        ("date", "31-31-2025"),
        ("datetime", "kemarin"),
        ("check", 2),
        ("json_val", "{not json"),
    ],
)
def test_bad_values_are_refused_naming_the_field(ctx, field, value):
    with pytest.raises(DataError) as err:
        ctx.new_doc("Uji Semua Tipe", {field: value}).insert()
    assert err.value.errors[0]["field"] == field


def test_password_is_masked_in_as_dict(ctx):
    doc = ctx.new_doc("Uji Semua Tipe", password="rahasia").insert()
    assert doc.as_dict()["password"] == "*******"


def test_json_ready_output_uses_frappe_formats(ctx):
    doc = ctx.new_doc(
        "Uji Semua Tipe", date="2025-01-31", datetime="2025-01-31 10:00:00", time="08:00:00"
    ).insert()
    doc2 = ctx.new_doc("Uji Semua Tipe", datetime="2025-01-31 10:00:00.25").insert()
    assert doc2.as_dict(json_ready=True)["datetime"] == "2025-01-31 10:00:00.250000"
    out = ctx.get_doc("Uji Semua Tipe", doc.name).as_dict(json_ready=True)
    assert out["date"] == "2025-01-31"
    assert out["datetime"] == "2025-01-31 10:00:00"
    assert out["time"] == "08:00:00"
    assert out["doctype"] == "Uji Semua Tipe"


def test_password_is_stored_encrypted_outside_the_table(ctx):
    doc = ctx.new_doc("Uji Semua Tipe", password="kata-sandi-rahasia").insert()
    column = ctx.conn.exec_driver_sql(
        "SELECT password FROM `tabUji Semua Tipe` WHERE name = ?", (doc.name,)
    ).scalar()
    assert column == "*" * len("kata-sandi-rahasia")
    stored = ctx.conn.exec_driver_sql(
        "SELECT password FROM `__Auth` WHERE name = ?", (doc.name,)
    ).scalar()
    assert "kata-sandi-rahasia" not in stored
    fresh = ctx.get_doc("Uji Semua Tipe", doc.name)
    assert fresh.get_password("password") == "kata-sandi-rahasia"
    fresh.data = "ubah lain"  # saving with the mask keeps the secret
    fresh.save()
    assert ctx.get_doc("Uji Semua Tipe", doc.name).get_password("password") == "kata-sandi-rahasia"
