"""Registri over REST: the NIK (permlevel 1) is absent for roles without level 1."""

from __future__ import annotations

import json
import secrets

from api_helpers import make_user


def test_nik_masked_over_rest(http, site):
    nik = f"5301041507{secrets.randbelow(90) + 10:02d}{secrets.randbelow(9998) + 1:04d}"
    lahir = f"19{nik[10:12]}-07-15"
    with site.begin() as ctx:
        name = (
            ctx.new_doc(
                "Penerima Manfaat",
                nik=nik,
                nama_lengkap="Daniel Manu",
                jenis_kelamin="Laki-laki",
                tanggal_lahir=lahir,
            )
            .insert()
            .name
        )
    pimpinan = make_user(site, f"pimpinan.{secrets.token_hex(3)}@uji.id", roles=("Pimpinan",))
    front = make_user(site, f"fo.{secrets.token_hex(3)}@uji.id", roles=("Front Office",))
    try:
        one = http.get(
            f"/api/resource/Penerima Manfaat/{name}", headers={"Authorization": pimpinan["token"]}
        )
        assert one.status_code == 200
        assert one.json()["data"]["nama_lengkap"] == "Daniel Manu"
        assert "nik" not in one.json()["data"]
        listed = http.get(
            "/api/resource/Penerima Manfaat",
            params={"fields": json.dumps(["name", "nik"]), "filters": json.dumps({"name": name})},
            headers={"Authorization": pimpinan["token"]},
        )
        assert listed.status_code == 200
        assert listed.json()["data"] == [{"name": name}]  # the unreadable field is dropped
        seen = http.get(
            f"/api/resource/Penerima Manfaat/{name}", headers={"Authorization": front["token"]}
        )
        assert seen.json()["data"]["nik"] == nik
    finally:
        with site.begin() as ctx:
            ctx.delete_doc("Penerima Manfaat", name)
