"""Target SPM: the number of people who must get a service (by assessment) in a region and
year. One per year, region and service type (the name says so: TSPM-2026-P2-53.71)."""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError


class TargetSPM(Document):
    def validate(self) -> None:
        try:
            tahun = int(str(self.tahun).strip())
        except ValueError:
            raise ValidationError("Tahun harus bilangan bulat", field="tahun") from None
        if not 2000 <= tahun <= 2100:
            raise ValidationError("Tahun harus antara 2000 dan 2100", field="tahun")
        self.tahun = tahun
        try:
            sasaran = int(str(self.jumlah_sasaran).strip())
        except ValueError:
            raise ValidationError(
                "Jumlah sasaran harus bilangan bulat", field="jumlah_sasaran"
            ) from None
        if sasaran < 0:
            raise ValidationError("Jumlah sasaran tidak boleh negatif", field="jumlah_sasaran")
        self.jumlah_sasaran = sasaran
        if not self.is_new():
            for key in ("tahun", "wilayah", "jenis_layanan_spm"):
                if str(self.get_db_value(key)) != str(self.get(key)):
                    raise ValidationError(
                        "Tahun, wilayah dan jenis layanan menentukan nama target dan tidak "
                        "dapat diubah; buat target baru",
                        field=key,
                    )
