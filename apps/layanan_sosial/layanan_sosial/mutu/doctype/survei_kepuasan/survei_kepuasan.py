"""Survei Kepuasan: one respondent's answers (9 unsur, each 1–4) per PermenPANRB 14/2017.

Guest may answer the public survey. Guest's "write" right exists only so the level-0 fields
of a new response are kept (the engine resets fields a user may not write); a saved
response cannot be changed by Guest.
"""

from __future__ import annotations

from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import PermissionError_
from layanan_sosial.core.users import GUEST
from layanan_sosial.mutu.ikm import UNSUR, nilai_unsur


class SurveiKepuasan(Document):
    def validate(self) -> None:
        if not self.is_new() and self.ctx.user == GUEST:
            raise PermissionError_("Jawaban survei yang sudah dikirim tidak dapat diubah")
        for field in UNSUR:
            setattr(self, field, nilai_unsur(self.get(field), field))
