"""Demo data (`layanan_sosial.demo.make_demo`) on a brand-new site, both backends: what it
promises — recipients over the kabupaten with valid NIKs, users scoped to their kabupaten,
panti, complaints, cases and referrals in several workflow states — and a second run that
adds nothing. Plus the 1M-recipient benchmark script as a smoke test on a few rows."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from sitekit import backends, drop_site, make_site

from layanan_sosial.core.users import check_password
from layanan_sosial.demo import make_demo
from layanan_sosial.demo.common import email
from layanan_sosial.registri.nik import validate_nik

COUNTED = (
    "User",
    "User Permission",
    "Penerima Manfaat",
    "Keluarga",
    "Lembaga Mitra",
    "Survei Kepuasan",
    "Panti",
    "Penghuni Panti",
    "Pemberian Layanan",
    "Pengaduan",
    "Kasus",
    "Rujukan",
    "Korban Bencana",
    "Penyaluran Bantuan",
    "Target SPM",
    "Laporan Capaian SPM",
)


@pytest.fixture(scope="module", params=backends())
def demo_site(request, sites_root):
    site = make_site(sites_root, request.param)
    with site.begin() as ctx:
        make_demo(ctx, verbose=False)
    yield site
    drop_site(site)


def _counts(site) -> dict[str, int]:
    with site.begin(write=False) as ctx:
        return {dt: ctx.get_count(dt) for dt in COUNTED if ctx.doctype_exists(dt)}


def test_recipients_cover_the_kabupaten_with_valid_niks(demo_site):
    with demo_site.begin(write=False) as ctx:
        rows = ctx.get_all(
            "Penerima Manfaat",
            fields=["name", "nik", "jenis_kelamin", "tanggal_lahir", "wilayah", "nama_lengkap"],
        )
        assert 1800 <= len(rows) <= 2300
        kabupaten = Counter(r["wilayah"][:5] for r in rows)
        assert len(kabupaten) >= 20 and min(kabupaten.values()) >= 20
        for row in rows:  # every NIK matches sex and birth date (raises otherwise)
            validate_nik(row["nik"], row["jenis_kelamin"], row["tanggal_lahir"])
        assert len({r["nik"] for r in rows}) == len(rows)
        keluarga = ctx.get_doc("Keluarga", ctx.get_all("Keluarga", pluck="name", limit=1)[0])
        assert keluarga.anggota and keluarga.anggota[0].hubungan == "Kepala Keluarga"


def test_demo_users_log_in_with_the_shared_password_and_see_only_their_scope(demo_site):
    password = demo_site.config["demo_user_password"]
    with demo_site.begin() as ctx:
        assert check_password(ctx, email("peksos.kupang"), password)
        ctx.set_user(email("peksos.kupang"))
        wilayah = ctx.get_all("Penerima Manfaat", pluck="wilayah")
        assert wilayah and all(w.startswith("53.71.") for w in wilayah)
        aduan = ctx.get_all("Pengaduan", pluck="wilayah")
        assert aduan and all(w.startswith("53.71.") for w in aduan)
        ctx.set_user(email("peksos.sikka"))
        assert all(w.startswith("53.07.") for w in ctx.get_all("Pengaduan", pluck="wilayah"))
        ctx.set_user(email("mitra.lks"))  # the LKS partner: only its own panti and referrals
        panti = ctx.get_all("Panti", fields=["name", "jenis", "lembaga"])
        assert len(panti) == 1 and panti[0]["jenis"] == "LKS Swasta"
        rujukan = ctx.get_all("Rujukan", pluck="lembaga_mitra")
        assert rujukan and set(rujukan) == {panti[0]["lembaga"]}
        ctx.set_user(email("kepala.panti"))
        assert {p["jenis"] for p in ctx.get_all("Panti", fields=["jenis"])} == {
            "Panti Pemerintah (UPTD)"
        }
        ctx.set_user("Administrator")
        ctx.rollback()


def test_documents_in_several_workflow_states_made_by_the_right_users(demo_site):
    with demo_site.begin(write=False) as ctx:
        aduan = Counter(ctx.get_all("Pengaduan", pluck="workflow_state"))
        assert set(aduan) == {"Baru", "Diverifikasi", "Ditindaklanjuti", "Ditolak", "Selesai"}
        kasus = Counter(ctx.get_all("Kasus", pluck="workflow_state"))
        assert {"Pendaftaran", "Asesmen", "Disetujui", "Rujukan", "Selesai"} <= set(kasus)
        assert set(ctx.get_all("Rujukan", pluck="workflow_state")) == {
            "Dikirim", "Diterima", "Dilayani", "Selesai", "Ditolak",
        }  # fmt: skip
        assert set(ctx.get_all("Penyaluran Bantuan", pluck="workflow_state")) == {
            "Rencana", "Disetujui", "Disalurkan", "Diverifikasi", "Ditolak",
        }  # fmt: skip
        kejadian = ctx.get_all("Kejadian Bencana", fields=["jumlah_korban", "jumlah_mengungsi"])
        assert kejadian[0]["jumlah_korban"] == 60 and kejadian[0]["jumlah_mengungsi"] > 0
        assert ctx.get_count("Target SPM") > 100
        penghuni = set(ctx.get_all("Penghuni Panti", pluck="status"))
        assert penghuni == {"Pengajuan", "Diterima", "Keluar", "Ditolak"}
        # a case got approved by its kabupaten's supervisor, never by its creator
        approved = ctx.get_all(
            "Kasus",
            filters={"workflow_state": "Selesai"},
            fields=["owner", "disetujui_oleh", "tanggal_disetujui", "tanggal_selesai"],
        )
        assert approved
        for row in approved:
            assert row["disetujui_oleh"] == email("supervisor.kupang") != row["owner"]
            assert row["tanggal_disetujui"] < row["tanggal_selesai"]
        # the timeline says who moved it: Workflow comments by several users
        by = set(
            ctx.get_all("Comment", filters={"comment_type": "Workflow"}, pluck="comment_email")
        )
        assert {email("peksos.kupang"), email("supervisor.kupang"), email("mitra.lks")} <= by


def test_second_run_adds_nothing(demo_site):
    before = _counts(demo_site)
    with demo_site.begin() as ctx:
        done = make_demo(ctx, verbose=False)
    assert all(v.startswith("dilewati") for v in done.values()), done
    assert _counts(demo_site) == before


def test_bench_script_smoke(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    import bench_penerima_1m

    result = bench_penerima_1m.main(["--backend", "sqlite", "--rows", "2000", "--repeat", "22"])
    assert result["rows"] == 2000
    assert result["min_rows"] == 20  # every kabupaten fills a page
    assert len(result["figures"]) == 6
