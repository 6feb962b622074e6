"""Each naming rule, and naming series under concurrency (no gaps, no duplicates)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from layanan_sosial.core.exceptions import NameError_, ValidationError

PINNED = dt.datetime(2026, 3, 9, 10, 0, 0)


def test_old_style_series_keyed_by_rendered_prefix(ctx):
    ctx.now_override = PINNED
    first = ctx.new_doc("Uji Pengajuan", judul="a").insert()
    second = ctx.new_doc("Uji Pengajuan", judul="b").insert()
    assert first.name == "UJI-2026-00001"
    assert second.name == "UJI-2026-00002"
    ctx.now_override = PINNED.replace(year=2027)
    assert ctx.new_doc("Uji Pengajuan", judul="c").insert().name == "UJI-2027-00001"


def test_naming_series_field_uses_chosen_or_first_series(ctx):
    ctx.now_override = PINNED
    default = ctx.new_doc("Uji Seri", judul="a").insert()
    assert default.name == "KSS-2026-00001"
    assert default.naming_series == "KSS-.YYYY.-.#####"
    other = ctx.new_doc("Uji Seri", judul="b", naming_series="ADU-.MM.-.####").insert()
    assert other.name == "ADU-03-0001"


def test_format_rule_with_field_and_date(ctx):
    ctx.now_override = PINNED
    assert ctx.new_doc("Uji Format", kode="KPG").insert().name == "FMT-KPG-26-001"
    assert ctx.new_doc("Uji Format", kode="KPG").insert().name == "FMT-KPG-26-002"
    assert ctx.new_doc("Uji Format", kode="SKA").insert().name == "FMT-SKA-26-001"


def test_field_rule(ctx):
    assert ctx.new_doc("Uji Validasi", kode="  X-9 ", nama="n").insert().name == "X-9"
    with pytest.raises(ValidationError):
        ctx.new_doc("Uji Validasi", nama="n").insert()


def test_prompt_rule_needs_a_name(ctx):
    with pytest.raises(NameError_):
        ctx.new_doc("Uji Prompt", judul="x").insert()
    assert ctx.new_doc("Uji Prompt", name="Nama Saya").insert().name == "Nama Saya"
    assert ctx.new_doc("Uji Prompt", __newname="Dari Desk").insert().name == "Dari Desk"


def test_prompt_name_is_validated(ctx):
    with pytest.raises(NameError_):
        ctx.new_doc("Uji Prompt", name="<script>").insert()
    with pytest.raises(NameError_):
        ctx.new_doc("Uji Prompt", name="Uji Prompt").insert()


def test_hash_rule_gives_ten_base32_characters(ctx):
    names = {ctx.new_doc("Uji Hash", judul=str(i)).insert().name for i in range(20)}
    assert len(names) == 20
    assert all(len(n) == 10 and n.isalnum() and n == n.lower() for n in names)


def test_autoincrement_rule(ctx):
    first = ctx.new_doc("Uji Autoinc", judul="a").insert()
    second = ctx.new_doc("Uji Autoinc", judul="b").insert()
    assert isinstance(first.name, int)
    assert second.name == first.name + 1
    assert ctx.get_doc("Uji Autoinc", second.name).judul == "b"


def test_client_name_is_ignored_unless_prompt(ctx):
    doc = ctx.new_doc("Uji Pengajuan", name="PILIHAN-SAYA", judul="a").insert()
    assert doc.name.startswith("UJI-")


@pytest.mark.parametrize("fresh_site", ["sqlite", "mariadb"], indirect=True)
def test_series_under_concurrency_has_no_gaps_or_duplicates(fresh_site):
    threads, per_thread = 8, 15
    names: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            for _ in range(per_thread):
                with fresh_site.begin() as ctx:
                    name = ctx.new_doc("Uji Seri", judul="x").insert().name
                with lock:
                    names.append(name)
        except BaseException as exc:  # reported below
            errors.append(exc)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    numbers = sorted(int(n.rsplit("-", 1)[1]) for n in names)
    assert numbers == list(range(1, threads * per_thread + 1))
