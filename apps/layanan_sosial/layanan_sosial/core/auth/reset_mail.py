"""The "forgot password" email, issued and sent by a background job.

A job rather than the request: the request then costs the same whether or not the address
belongs to a user (mailing takes far longer than answering, so a request that waited for
the SMTP server would tell who has an account), and the key is created inside the job,
so the clear key never travels through the job queue.

The link's host is site_config `host_name`, else `http://<site name>` — never the
request's Host header, which a requester could set to their own server (Frappe builds
this link the same way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..db.tables import table_for
from ..email import send_email
from .reset_keys import expiry_seconds, issue_key

if TYPE_CHECKING:
    from ..context import Context

JOB = "layanan_sosial.core.auth.reset_mail.send_reset_link"

_TEXT = {
    "id": (
        "Atur ulang kata sandi Layanan Sosial Terpadu",
        "Halo {name},\n\n"
        "Ada permintaan untuk mengatur ulang kata sandi akun {user}. Buka tautan ini untuk "
        "membuat kata sandi baru:\n\n{link}\n\n"
        "Tautan berlaku {minutes} menit dan hanya dapat dipakai sekali.\n"
        "Jika Anda tidak memintanya, abaikan email ini: kata sandi Anda tidak berubah.\n",
    ),
    "en": (
        "Reset your Integrated Social Services password",
        "Hello {name},\n\n"
        "Someone asked to reset the password of the account {user}. Open this link to set "
        "a new password:\n\n{link}\n\n"
        "The link works for {minutes} minutes and only once.\n"
        "If you did not ask for it, ignore this email: your password stays as it is.\n",
    ),
}


def reset_link(ctx: Context, key: str) -> str:
    base = str(ctx.site.config.get("host_name") or f"http://{ctx.site.name}").rstrip("/")
    return f"{base}/update-password?key={key}"


def compose(
    language: str | None, *, name: str, user: str, link: str, minutes: int
) -> tuple[str, str]:
    """(subject, body) in the user's language (Indonesian unless their User says "en")."""
    lang = "en" if str(language or "").lower().startswith("en") else "id"
    subject, body = _TEXT[lang]
    return subject, body.format(name=name, user=user, link=link, minutes=minutes)


def send_reset_link(ctx: Context, user: str) -> None:
    """Background job: issue a key for `user` and mail the link once the key is stored.
    Does nothing for a user disabled (or without an address) since the request."""
    users = table_for(ctx.get_meta("User"))
    row = ctx.conn.execute(
        sa.select(users.c.email, users.c.full_name, users.c.language, users.c.enabled).where(
            users.c.name == user
        )
    ).first()
    if row is None or not row.enabled or not row.email:
        return
    key = issue_key(ctx, user)
    subject, body = compose(
        row.language,
        name=row.full_name or user,
        user=user,
        link=reset_link(ctx, key),
        minutes=max(1, expiry_seconds(ctx) // 60),
    )
    site, address = ctx.site, str(row.email)
    ctx.after_commit(lambda: send_email(site, [address], subject, body))
