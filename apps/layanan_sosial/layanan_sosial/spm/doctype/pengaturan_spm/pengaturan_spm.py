"""Pengaturan SPM: the weights and category bands of the SPM achievement index.

Defaults follow /work/shared/reference/spm_rules.md §2.2 (0.8 × penerima + 0.2 × mutu) and
§2.3 (10-point bands: 100 / 90 / 80 / 70 / 60). The regulation article that fixes them was
not read, so they are configuration, checked here.
"""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError
from layanan_sosial.spm.capaian import BATAS_FIELDS, aturan_dari


class PengaturanSPM(Document):
    def validate(self) -> None:
        aturan = aturan_dari(self)  # raises on missing/non-numeric values
        if aturan.bobot_penerima < 0 or aturan.bobot_mutu < 0:
            raise ValidationError("Bobot tidak boleh negatif", field="bobot_penerima")
        if aturan.bobot_penerima + aturan.bobot_mutu != 1:
            raise ValidationError(
                "Jumlah Bobot Penerima dan Bobot Mutu harus tepat 1 "
                f"(sekarang {aturan.bobot_penerima + aturan.bobot_mutu})",
                field="bobot_mutu",
            )
        batas = [batas for batas, _ in aturan.kategori]
        for field, nilai in zip(BATAS_FIELDS, batas, strict=True):
            if not 0 < nilai <= 100:
                raise ValidationError(f"{field}: batas harus di antara 0 dan 100", field=field)
        for index in range(len(batas) - 1):
            if batas[index] <= batas[index + 1]:
                raise ValidationError(
                    "Batas kategori harus menurun: Paripurna > Utama > Madya > Pratama > Muda",
                    field=BATAS_FIELDS[index],
                )
