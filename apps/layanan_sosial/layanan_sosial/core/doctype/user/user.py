"""User controller: full name, and `new_password` moved into __Auth as an Argon2 hash."""

from __future__ import annotations

from layanan_sosial.core.auth.passwords import check_strength
from layanan_sosial.core.document import Document
from layanan_sosial.core.users import set_password


class User(Document):
    def autoname(self) -> None:
        self.name = (self.get("email") or "").strip().lower()

    def validate(self) -> None:
        parts = [self.get("first_name"), self.get("middle_name"), self.get("last_name")]
        self.full_name = " ".join(p.strip() for p in parts if p and p.strip())
        if self.get("email"):
            self.email = self.email.strip().lower()

    def before_save(self) -> None:
        password = self.get("new_password")
        if password and not set(password) == {"*"}:
            if self.ctx.site.config.get("enable_password_policy", True):
                check_strength(self.ctx, password, [self.get("email"), self.get("first_name")])
            self.flags.pending_password = password
        self.new_password = None

    def on_update(self) -> None:
        if self.flags.pending_password:
            set_password(self.ctx, self.name, self.flags.pending_password)
            self.flags.pending_password = None
