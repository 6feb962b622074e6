"""Password policy: a minimum zxcvbn score (0–4, site_config `minimum_password_score`,
default 2) and length 8, with an Indonesian explanation of what is wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zxcvbn import zxcvbn

from ..exceptions import ValidationError

if TYPE_CHECKING:
    from ..context import Context

MIN_LENGTH = 8


def check_strength(ctx: Context, password: str, user_inputs: list[str] | None = None) -> None:
    minimum = int(ctx.site.config.get("minimum_password_score", 2))
    if len(password) < MIN_LENGTH:
        raise ValidationError(f"Kata sandi minimal {MIN_LENGTH} karakter", field="new_password")
    result = zxcvbn(password[:100], user_inputs=[u for u in (user_inputs or []) if u])
    if result["score"] < minimum:
        raise ValidationError(
            "Kata sandi terlalu lemah: gunakan kalimat yang panjang atau campuran kata, "
            "angka dan simbol yang tidak mudah ditebak",
            field="new_password",
        )
