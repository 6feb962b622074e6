"""The world of the permission tests over REST (tests/api/test_permission_matrix.py and
test_permission_levels.py): one fresh site per backend with the users below, the fixed
Uji Warga residents, their secrets at levels 1 and 2, and the assertions both files share.

The users:
    admin       Administrator (bypasses everything)
    manajer     System Manager: level 0 of Uji Warga, no submit/cancel; all of the other DocTypes
    petugas     Uji Petugas: read/write/create/delete/submit, level 0 only
    supervisor  Uji Supervisor: read/write/cancel; level 1 read+write, level 2 read
    pemantau    Uji Pemantau: read; level 1 read
    pemilik     Uji Pemilik: read/write/create only on documents it owns (if_owner)
    tanpa       no role
    wilayah     Uji Petugas + a User Permission on Uji Wilayah 53.71 (so its subtree)
    berbagi     no role + a DocShare (read) of the fixed document "kab"
    guest       no credentials
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from api_helpers import make_user
from sitekit import backends, drop_site, make_site
from starlette.applications import Starlette
from starlette.testclient import TestClient

from layanan_sosial.core.api.routes import api_routes
from layanan_sosial.core.site import Site

WARGA, VALIDASI, PENGAJUAN, WILAYAH = "Uji Warga", "Uji Validasi", "Uji Pengajuan", "Uji Wilayah"

# level-1 and level-2 values of every Uji Warga here: none may reach a user without the level
NIK = "5371999988887777"
CATATAN = "catatan-rahasia-xyz"
BARIS_RAHASIA = "baris-rahasia-xyz"
SECRET_OF_LEVEL = {1: (NIK,), 2: (CATATAN, BARIS_RAHASIA)}

ROLES: dict[str, tuple[str, ...]] = {
    "manajer": ("System Manager",),
    "petugas": ("Uji Petugas",),
    "supervisor": ("Uji Supervisor",),
    "pemantau": ("Uji Pemantau",),
    "pemilik": ("Uji Pemilik",),
    "tanpa": (),
    "wilayah": ("Uji Petugas",),
    "berbagi": (),
}
# permlevels of Uji Warga each user may read (Administrator: all)
READ_LEVELS = {
    "admin": {0, 1, 2},
    "manajer": {0},
    "petugas": {0},
    "supervisor": {0, 1, 2},
    "pemantau": {0, 1},
    "pemilik": {0},
    "wilayah": {0},
    "berbagi": {0},
    "tanpa": set(),
    "guest": set(),
}
REGIONS = (("53", None), ("53.71", "53"), ("53.71.01", "53.71"), ("53.10", "53"))
# the fixed residents: key → region ("milik" is owned by pemilik)
FIXED = {"kota": "53.71.01", "kab": "53.10", "kosong": None, "milik": "53.10"}
ERROR_KEYS = {"exc_type", "exception", "_server_messages", "_error_message", "_field_errors"}
ERROR_KEYS_V2 = {"errors", "messages"}


def email(user: str) -> str:
    return f"pm.{user}@uji.id"


# -- the world -------------------------------------------------------------------------


@dataclass
class World:
    site: Site
    client: TestClient
    headers: dict[str, dict[str, str]]
    warga: dict[str, str] = field(default_factory=dict)  # fixed key → name

    def request(self, user: str, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, path, headers=self.headers[user], **kwargs)


def _secret_fields() -> dict[str, Any]:
    return {
        "nik": NIK,
        "catatan_rahasia": CATATAN,
        "baris": [{"item": "baris-biasa"}],
        "baris_rahasia": [{"item": BARIS_RAHASIA}],
    }


def new_warga(site: Site, nama: str, region: str | None, owner: str = "Administrator") -> str:
    """A resident with level-1/level-2 values, owned by `owner` (set as that user)."""
    with site.begin(user=owner) as ctx:
        name = ctx.new_doc(WARGA, nama=nama, wilayah=region).insert().name
    with site.begin() as ctx:  # the levels only an administrator may write
        doc = ctx.get_doc(WARGA, name)
        doc.update(_secret_fields())
        doc.save()
    return str(name)


def _setup(site: Site) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    headers: dict[str, dict[str, str]] = {"guest": {}}
    for user, roles in ROLES.items():
        headers[user] = {"Authorization": make_user(site, email(user), roles)["token"]}
    with site.begin() as ctx:
        from layanan_sosial.core.users import generate_keys

        key, secret = generate_keys(ctx, "Administrator")
        headers["admin"] = {"Authorization": f"token {key}:{secret}"}
        for kode, induk in REGIONS:
            ctx.new_doc(WILAYAH, kode=kode, nama=f"Wilayah {kode}", induk=induk).insert()
    warga = {}
    for key, region in FIXED.items():
        owner = email("pemilik") if key == "milik" else "Administrator"
        warga[key] = new_warga(site, f"Tetap {key}", region, owner)
    with site.begin() as ctx:
        ctx.new_doc(
            "User Permission", user=email("wilayah"), allow=WILAYAH, for_value="53.71"
        ).insert()
    share(site, warga["kab"], read=1)
    return headers, warga


def share(site: Site, name: str, **rights: int) -> None:
    with site.begin() as ctx:
        ctx.new_doc(
            "DocShare", user=email("berbagi"), share_doctype=WARGA, share_name=name, **rights
        ).insert()


@pytest.fixture(scope="module", params=backends())
def world(request: pytest.FixtureRequest, sites_root) -> Iterator[World]:
    site = make_site(sites_root, request.param)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAYANAN_SITES_DIR", str(site.root))
        headers, warga = _setup(site)
        app = Starlette(routes=api_routes())
        with TestClient(app, base_url=f"http://{site.name}") as client:
            yield World(site, client, headers, warga)
    drop_site(site)


def assert_learns_nothing(response: httpx.Response, *values: str) -> None:
    """A refusal carries the error and nothing of the document."""
    keys = set(response.json())
    assert keys <= ERROR_KEYS or keys <= ERROR_KEYS_V2, response.text
    for value in values:
        assert value not in response.text, f"{value!r} leaked: {response.text}"


def assert_no_secrets(user: str, response: httpx.Response) -> None:
    for level, values in SECRET_OF_LEVEL.items():
        if level in READ_LEVELS[user]:
            continue
        for value in values:
            assert value not in response.text, f"level {level} leaked to {user}: {response.text}"
