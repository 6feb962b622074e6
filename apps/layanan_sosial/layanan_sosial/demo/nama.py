"""Synthetic NTT people: names by region, birth places, valid NIKs (deterministic per rng).

Everything here is made up; names follow the naming customs of the islands (Timor, Rote,
Sabu, Alor, Flores, Lembata, Sumba) so lists look like a real Dinas Sosial register.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from layanan_sosial.registri.nik import LAKI_LAKI, PEREMPUAN

DEPAN_LAKI = (
    "Yohanes", "Agustinus", "Fransiskus", "Petrus", "Paulus", "Dominikus", "Aloysius",
    "Yakobus", "Anselmus", "Bernadus", "Kornelis", "Lukas", "Markus", "Matias", "Stefanus",
    "Benediktus", "Wilhelmus", "Rofinus", "Herman", "Daniel", "Yunus", "Elias", "Yosua",
    "Samuel", "Oktovianus", "Yulius", "Arnoldus", "Benyamin", "Melkianus", "Yermias",
    "Ferdinandus", "Hendrikus", "Kristoforus", "Siprianus", "Silvester", "Maximus",
    "Sebastianus", "Ignasius", "Laurensius", "Mikael", "Gabriel", "Yosef", "Abdul", "Ahmad",
    "Muhammad", "Hasan", "Frengky", "Yandri", "Marthen", "Obed", "Simon", "Adrianus",
)  # fmt: skip
DEPAN_PEREMPUAN = (
    "Maria", "Yosefina", "Theresia", "Kristina", "Marselina", "Veronika", "Yustina",
    "Elisabeth", "Margaretha", "Imelda", "Florentina", "Emilia", "Ester", "Rut", "Debora",
    "Naomi", "Selfina", "Fransiska", "Getrudis", "Adriana", "Sisilia", "Modesta", "Natalia",
    "Rosalia", "Regina", "Serafina", "Agnes", "Lusia", "Sofia", "Susana", "Yasinta",
    "Katarina", "Antonia", "Magdalena", "Yuliana", "Martha", "Dorkas", "Orpa", "Siti",
    "Aminah", "Fatimah", "Nurhayati", "Meliana", "Welhelmina", "Agustina", "Dorotea",
)  # fmt: skip

# family names by island / language group
_TIMOR = ("Nope", "Tefa", "Nubatonis", "Taneo", "Banunaek", "Sakan", "Lake", "Bani",
          "Nenobais", "Kolo", "Nitbani", "Toto", "Tanesib", "Benu", "Kase", "Leu", "Selan",
          "Boimau", "Oematan", "Tallo")  # fmt: skip
_TETUN = ("Bria", "Seran", "Klau", "Nahak", "Mau", "Bere", "Atok", "Tae", "Luan", "Asa")
_ROTE = ("Ndoen", "Pellokila", "Manafe", "Adoe", "Ndolu", "Foeh", "Haning", "Lenggu",
         "Messakh", "Tulle", "Mooy", "Saudale")  # fmt: skip
_SABU = ("Riwu", "Bire", "Kaho", "Ludji", "Lado", "Dima", "Here", "Radja", "Hede", "Djami")
_ALOR = ("Malaikosa", "Mautuka", "Lelang", "Laupada", "Maro", "Djahamou", "Beli", "Koly")
_LAMAHOLOT = ("Kelen", "Koten", "Hurint", "Lamury", "Boli", "Tukan", "Ola", "Making",
              "Beda", "Openg", "Lewar", "Sogen")  # fmt: skip
_SIKKA = ("da Silva", "Parera", "Moat", "Wisang", "da Cunha", "Goleng", "Lering", "Nong")
_ENDE = ("Wangge", "Mbete", "Pita", "Nuwa", "Woda", "Rangga", "Gadi", "Djou", "Bata")
_NGADA = ("Meo", "Wea", "Bhoka", "Dhae", "Siga", "Sina", "Lowa", "Tay", "Nau", "Dopo")
_MANGGARAI = ("Jehadut", "Ndahur", "Jemadu", "Nggarang", "Hamun", "Bagung", "Jebarus",
              "Pandur", "Dangur", "Jenaru", "Sadu", "Ngantung")  # fmt: skip
_SUMBA = ("Ndakularak", "Hamba", "Kaborang", "Ndena", "Pekuwali", "Tanggu", "Lunggi",
          "Ndapa", "Lende", "Malo", "Kaka", "Wora", "Dapa Loka")  # fmt: skip

KABUPATEN: dict[str, tuple[str, tuple[str, ...]]] = {
    # kode: (ibu kota / tempat lahir, family names)
    "53.01": ("Oelamasi", _TIMOR + _ROTE),
    "53.02": ("Soe", _TIMOR),
    "53.03": ("Kefamenanu", _TIMOR + _TETUN),
    "53.04": ("Atambua", _TETUN),
    "53.05": ("Kalabahi", _ALOR),
    "53.06": ("Larantuka", _LAMAHOLOT),
    "53.07": ("Maumere", _SIKKA),
    "53.08": ("Ende", _ENDE),
    "53.09": ("Bajawa", _NGADA),
    "53.10": ("Ruteng", _MANGGARAI),
    "53.11": ("Waingapu", _SUMBA),
    "53.12": ("Waikabubak", _SUMBA),
    "53.13": ("Lewoleba", _LAMAHOLOT),
    "53.14": ("Ba'a", _ROTE),
    "53.15": ("Labuan Bajo", _MANGGARAI),
    "53.16": ("Mbay", _NGADA),
    "53.17": ("Waibakul", _SUMBA),
    "53.18": ("Tambolaka", _SUMBA),
    "53.19": ("Borong", _MANGGARAI),
    "53.20": ("Seba", _SABU),
    "53.21": ("Betun", _TETUN),
    "53.71": ("Kupang", _TIMOR + _ROTE + _SABU + _TETUN),
}


def kabupaten_dari(wilayah: str) -> str:
    return wilayah[:5]


def nama_orang(rng: random.Random, kabupaten: str, perempuan: bool) -> str:
    marga = rng.choice(KABUPATEN.get(kabupaten, KABUPATEN["53.71"])[1])
    if kabupaten in ("53.11", "53.12", "53.17", "53.18") and rng.random() < 0.5:
        awal = "Rambu" if perempuan else "Umbu"  # Sumba nobility prefix
        return f"{awal} {rng.choice(DEPAN_PEREMPUAN if perempuan else DEPAN_LAKI)} {marga}"
    depan = rng.choice(DEPAN_PEREMPUAN if perempuan else DEPAN_LAKI)
    return f"{depan} {marga}"


def tanggal_lahir(rng: random.Random, umur_min: int, umur_max: int, pada: dt.date) -> dt.date:
    start = dt.date(pada.year - umur_max - 1, pada.month, 1) + dt.timedelta(days=1)
    end = dt.date(pada.year - umur_min, pada.month, 1)
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def buat_nik(wilayah: str, lahir: dt.date, perempuan: bool, nomor: int) -> str:
    """NIK registered in the kecamatan of `wilayah` (a desa/kelurahan code "53.01.04.2003"):
    53 01 04 + DDMMYY (day + 40 for women) + serial 0001–9999."""
    kec = wilayah.replace(".", "")[:6]
    hari = lahir.day + (40 if perempuan else 0)
    return f"{kec}{hari:02d}{lahir.month:02d}{lahir.year % 100:02d}{nomor % 9999 + 1:04d}"


@dataclass
class PembuatNIK:
    """Hands out NIKs that are unique within one run (the serial moves on on a clash)."""

    dipakai: set[str]

    def __init__(self) -> None:
        self.dipakai = set()

    def baru(self, rng: random.Random, wilayah: str, lahir: dt.date, perempuan: bool) -> str:
        nomor = rng.randrange(9999)
        while True:
            nik = buat_nik(wilayah, lahir, perempuan, nomor)
            if nik not in self.dipakai:
                self.dipakai.add(nik)
                return nik
            nomor += 1


def jenis_kelamin(perempuan: bool) -> str:
    return PEREMPUAN if perempuan else LAKI_LAKI
