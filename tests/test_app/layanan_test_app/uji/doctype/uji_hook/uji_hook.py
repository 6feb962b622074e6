"""Test controller: records the hooks it sees and fails on demand (field `gagal_di`)."""

from __future__ import annotations

from layanan_sosial.core.api import whitelist
from layanan_sosial.core.document import Document
from layanan_sosial.core.exceptions import ValidationError

HOOKS = (
    "before_insert",
    "before_validate",
    "validate",
    "before_save",
    "before_submit",
    "before_cancel",
    "after_insert",
    "on_update",
    "on_submit",
    "on_cancel",
    "on_change",
    "on_trash",
    "after_delete",
)


def _recorder(hook: str):
    def method(self: Document) -> None:
        calls = self.flags.setdefault("calls", [])
        calls.append(hook)
        if hook == "validate":
            self.dihitung = len(self.get_children("baris"))
        if self.get("gagal_di") == hook:
            raise ValidationError(f"gagal di {hook}")

    return method


class UjiHook(Document):
    @whitelist()
    def tambah(self, n: int = 1) -> int:
        """A whitelisted document method (run_doc_method / run_method over REST)."""
        self.dihitung = (self.dihitung or 0) + int(n)
        return self.dihitung

    def rahasia(self) -> str:  # not whitelisted: must be refused over REST
        return "tidak boleh"


for _hook in HOOKS:
    setattr(UjiHook, _hook, _recorder(_hook))
