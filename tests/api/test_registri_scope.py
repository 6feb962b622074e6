"""Registri over REST as scoped and unscoped users: a kabupaten user sees only its region,
NIK is shown masked to everyone and in full only to level-1 roles, whose every read of the
full NIK lands in the Activity Log."""

from __future__ import annotations

import json
import secrets

import pytest
from api_helpers import make_user

KAB_KUPANG_DESA = "53.01.04.2003"  # Bokonusan, Semau, Kabupaten Kupang
KOTA_KUPANG_KEL = "53.71.01.1001"  # Namosain, Kota Kupang


def _nik(region: str = "530104") -> tuple[str, str]:
    """A valid male NIK born 15-07-19yy, and that birth date."""
    yy = secrets.randbelow(90) + 10
    nik = f"{region}1507{yy:02d}{secrets.randbelow(9998) + 1:04d}"
    return nik, f"19{yy:02d}-07-15"


def _recipient(ctx, nama: str, wilayah: str) -> tuple[str, str]:
    nik, lahir = _nik()
    doc = ctx.new_doc(
        "Penerima Manfaat",
        nik=nik,
        nama_lengkap=nama,
        jenis_kelamin="Laki-laki",
        tanggal_lahir=lahir,
        wilayah=wilayah,
    ).insert()
    return doc.name, nik


def _access_logs(site, user: str) -> list[dict]:
    with site.begin() as ctx:
        return ctx.get_all(
            "Activity Log",
            filters={"user": user, "operation": "Access"},
            fields=["subject", "reference_doctype", "reference_name"],
            order_by="creation asc",
        )


@pytest.fixture
def two_regions(site):
    tag = secrets.token_hex(3)
    with site.begin() as ctx:
        in_kab, nik_kab = _recipient(ctx, f"Yohanes Kab {tag}", KAB_KUPANG_DESA)
        in_kota, _ = _recipient(ctx, f"Yohanes Kota {tag}", KOTA_KUPANG_KEL)
    yield {"tag": tag, "kab": in_kab, "kota": in_kota, "nik_kab": nik_kab}
    with site.begin() as ctx:
        for name in (in_kab, in_kota):
            ctx.delete_doc("Penerima Manfaat", name)


def test_kabupaten_user_sees_only_its_region(http, site, two_regions):
    email = f"fo.kab.{two_regions['tag']}@uji.id"
    user = make_user(site, email, roles=("Front Office",))
    with site.begin() as ctx:
        ctx.new_doc("User Permission", user=email, allow="Wilayah", for_value="53.01").insert()
    headers = {"Authorization": user["token"]}
    listed = http.get(
        "/api/resource/Penerima Manfaat",
        params={
            "filters": json.dumps([["nama_lengkap", "like", f"%{two_regions['tag']}%"]]),
            "fields": json.dumps(["name", "wilayah"]),
            "with_count": 1,
        },
        headers=headers,
    )
    assert listed.status_code == 200, listed.text
    assert listed.json()["data"] == [{"name": two_regions["kab"], "wilayah": KAB_KUPANG_DESA}]
    assert listed.json()["count"] == 1
    assert (
        http.get(
            f"/api/resource/Penerima Manfaat/{two_regions['kab']}", headers=headers
        ).status_code
        == 200
    )
    other = http.get(f"/api/resource/Penerima Manfaat/{two_regions['kota']}", headers=headers)
    assert other.status_code in (403, 404)
    assert "Yohanes" not in other.text
    # a record cannot be moved into, or created in, a region outside the scope
    moved = http.put(
        f"/api/resource/Penerima Manfaat/{two_regions['kab']}",
        json={"wilayah": KOTA_KUPANG_KEL},
        headers=headers,
    )
    assert moved.status_code in (403, 417), moved.text
    with site.begin() as ctx:
        assert ctx.get_value("Penerima Manfaat", two_regions["kab"], "wilayah") == KAB_KUPANG_DESA


def test_nik_masked_for_everyone_full_nik_reads_are_logged(http, site, two_regions):
    tag = two_regions["tag"]
    pimpinan_email = f"pimpinan.log.{tag}@uji.id"
    front_email = f"fo.log.{tag}@uji.id"
    pimpinan = {"Authorization": make_user(site, pimpinan_email, roles=("Pimpinan",))["token"]}
    front = {"Authorization": make_user(site, front_email, roles=("Front Office",))["token"]}
    nik = two_regions["nik_kab"]
    masked = nik[:6] + "******" + nik[-4:]

    one = http.get(f"/api/resource/Penerima Manfaat/{two_regions['kab']}", headers=pimpinan)
    assert one.json()["data"]["nik_tersamar"] == masked
    assert "nik" not in one.json()["data"]
    assert nik not in one.text
    assert _access_logs(site, pimpinan_email) == []  # the full NIK was not shown: no log

    full = http.get(f"/api/resource/Penerima Manfaat/{two_regions['kab']}", headers=front)
    assert full.json()["data"]["nik"] == nik
    logs = _access_logs(site, front_email)
    assert len(logs) == 1
    assert logs[0]["reference_doctype"] == "Penerima Manfaat"
    assert logs[0]["reference_name"] == two_regions["kab"]
    assert "NIK" in logs[0]["subject"]

    params = {
        "filters": json.dumps([["nama_lengkap", "like", f"%{tag}%"]]),
        "fields": json.dumps(["name", "nik", "nik_tersamar"]),
    }
    listed = http.get("/api/resource/Penerima Manfaat", params=params, headers=front)
    assert {r["name"] for r in listed.json()["data"]} == {two_regions["kab"], two_regions["kota"]}
    logs = _access_logs(site, front_email)
    assert len(logs) == 2
    assert two_regions["kab"] in logs[1]["subject"] and two_regions["kota"] in logs[1]["subject"]

    # a list without the NIK column discloses nothing and logs nothing
    params["fields"] = json.dumps(["name", "nik_tersamar"])
    assert http.get("/api/resource/Penerima Manfaat", params=params, headers=front).is_success
    assert len(_access_logs(site, front_email)) == 2


def test_read_logging_is_switched_off_at_run_time(http, site, two_regions):
    email = f"fo.off.{two_regions['tag']}@uji.id"
    front = {"Authorization": make_user(site, email, roles=("Front Office",))["token"]}
    with site.begin() as ctx:
        setter = ctx.new_doc(
            "Property Setter",
            doc_type="Penerima Manfaat",
            doctype_or_field="DocField",
            field_name="nik",
            property="log_read",
            value="0",
            property_type="Check",
        ).insert()
    try:
        assert (
            http.get(f"/api/resource/Penerima Manfaat/{two_regions['kab']}", headers=front).json()[
                "data"
            ]["nik"]
            == two_regions["nik_kab"]
        )
        assert _access_logs(site, email) == []
    finally:
        with site.begin() as ctx:
            ctx.delete_doc("Property Setter", setter.name)
