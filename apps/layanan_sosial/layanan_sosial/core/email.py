"""Outgoing email through the site's SMTP server (site_config: smtp_server, smtp_port,
smtp_login, smtp_password, smtp_use_tls, smtp_use_ssl, mail_sender). Sent after commit by
callers, so a rolled-back change never mails anyone."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .site import Site

log = logging.getLogger(__name__)


def smtp_configured(site: Site) -> bool:
    return bool(site.config.get("smtp_server"))


def send_email(site: Site, recipients: list[str], subject: str, body: str) -> bool:
    """Send one message to `recipients`; False (and a log line) when SMTP is not configured."""
    config = site.config
    if not recipients:
        return False
    if not smtp_configured(site):
        log.info("site %s has no smtp_server; email %r not sent", site.name, subject)
        return False
    message = EmailMessage()
    message["From"] = config.get("mail_sender") or f"noreply@{site.name}"
    message["To"] = ", ".join(recipients)
    message["Subject"] = subject
    message.set_content(body)
    host, port = config["smtp_server"], int(config.get("smtp_port") or 25)
    client_class = smtplib.SMTP_SSL if config.get("smtp_use_ssl") else smtplib.SMTP
    with client_class(host, port, timeout=30) as client:
        if config.get("smtp_use_tls"):
            client.starttls()
        if config.get("smtp_login"):
            client.login(config["smtp_login"], config.get("smtp_password") or "")
        client.send_message(message)
    return True
