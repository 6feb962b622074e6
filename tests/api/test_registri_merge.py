"""Merging a flagged near-duplicate recipient over REST keeps everything: references move,
history (versions, a comment with the values that differed) stays, empty fields are filled."""

from __future__ import annotations

import secrets

from api_helpers import make_user

MERGE = "/api/method/layanan_sosial.registri.api.gabungkan_penerima"


def _nik() -> tuple[str, str]:
    yy = secrets.randbelow(90) + 10
    return f"5371011507{yy:02d}{secrets.randbelow(9998) + 1:04d}", f"19{yy:02d}-07-15"


def test_near_duplicate_merged_into_the_record_that_stays(http, site):
    tag = secrets.token_hex(3)
    nik, lahir = _nik()
    admin = {"Authorization": make_user(site, f"admin.{tag}@uji.id", ("Admin Dinsos",))["token"]}
    front = {
        "Authorization": make_user(site, f"fo.gabung.{tag}@uji.id", ("Front Office",))["token"]
    }
    nama = f"Maria Goreti Bere {tag}"
    with site.begin() as ctx:
        utama = ctx.new_doc(
            "Penerima Manfaat",
            nama_lengkap=nama,
            jenis_kelamin="Laki-laki",
            tanggal_lahir=lahir,
            telepon="081234567890",
            jenis_ppks=[{"jenis_ppks": ctx.get_all("Jenis PPKS", pluck="name")[0]}],
        ).insert()
        dup = ctx.new_doc(
            "Penerima Manfaat",
            nama_lengkap=nama.upper(),  # same normalised name and birth date: flagged
            jenis_kelamin="Laki-laki",
            tanggal_lahir=lahir,
            nik=nik,
            telepon="085200000000",
            alamat="Jl. Timor Raya 12, Oesapa",
            jenis_ppks=[{"jenis_ppks": r} for r in ctx.get_all("Jenis PPKS", pluck="name")[:2]],
        ).insert()
        assert utama.name in dup.kemungkinan_duplikat
        keluarga = ctx.new_doc(
            "Keluarga",
            no_kk=f"53710{secrets.randbelow(10**11):011d}",
            anggota=[{"penerima": dup.name, "nama": nama, "hubungan": "Kepala Keluarga"}],
        ).insert()
        dup.reload()
        dup.rt = "007"
        dup.save()  # a version of the duplicate's own history

    refused = http.post(MERGE, json={"utama": utama.name, "duplikat": dup.name}, headers=front)
    assert refused.status_code == 403
    done = http.post(MERGE, json={"utama": utama.name, "duplikat": dup.name}, headers=admin)
    assert done.status_code == 200, done.text
    result = done.json()["message"]
    assert {"nik", "alamat", "rt"} <= set(result["diisi"])
    assert result["berbeda"] == ["nama_lengkap", "telepon"]

    assert http.get(f"/api/resource/Penerima Manfaat/{dup.name}", headers=admin).status_code == 404
    kept = http.get(f"/api/resource/Penerima Manfaat/{utama.name}", headers=admin).json()["data"]
    assert kept["nik"] == nik and kept["alamat"].startswith("Jl. Timor Raya")
    assert kept["telepon"] == "081234567890"  # the record that stays wins where both have one
    assert len({r["jenis_ppks"] for r in kept["jenis_ppks"]}) == len(kept["jenis_ppks"]) == 2
    with site.begin() as ctx:
        anggota = ctx.get_doc("Keluarga", keluarga.name).anggota
        assert [a.penerima for a in anggota] == [utama.name]
        notes = ctx.get_all(
            "Comment",
            filters={"reference_doctype": "Penerima Manfaat", "reference_name": utama.name},
            pluck="content",
        )
        assert any(f"Digabung dari {dup.name}" in n and "085200000000" in n for n in notes)
        versions = ctx.get_all(
            "Version",
            filters={"ref_doctype": "Penerima Manfaat", "docname": utama.name},
            pluck="data",
        )
        assert any('"007"' in v for v in versions)  # the duplicate's history came along
        assert not ctx.get_all(
            "Version", filters={"ref_doctype": "Penerima Manfaat", "docname": dup.name}
        )


def test_merge_refuses_the_same_record_twice(http, site):
    admin = {
        "Authorization": make_user(
            site, f"admin.sama.{secrets.token_hex(3)}@uji.id", ("Admin Dinsos",)
        )["token"]
    }
    with site.begin() as ctx:
        one = ctx.new_doc(
            "Penerima Manfaat", nama_lengkap="Yakobus Tefa", jenis_kelamin="Laki-laki"
        ).insert()
    same = http.post(MERGE, json={"utama": one.name, "duplikat": one.name}, headers=admin)
    assert same.status_code == 417
    assert same.json()["_field_errors"][0]["field"] == "duplikat"
