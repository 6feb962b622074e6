"""A real SMTP server for tests that check what was emailed (aiosmtpd on a free local port).

Imported as `from mailkit import smtp_capture`; tests/conftest.py wraps it as the
`smtp_server` fixture."""

from __future__ import annotations

import email
import email.message
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager

Received = list[tuple[list[str], email.message.EmailMessage]]


def mail_config(port: int) -> dict[str, object]:
    """Site config keys that send a site's email to the capture server on `port`."""
    return {"smtp_server": "127.0.0.1", "smtp_port": port, "mail_sender": "dinsos@uji.id"}


@contextmanager
def smtp_capture() -> Iterator[tuple[int, Received]]:
    """(port, received): each message as (recipients, parsed message); read its text with
    `message.get_content()` and its headers by name."""
    from aiosmtpd.controller import Controller

    received: Received = []

    class Collect:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
            received.append((list(envelope.rcpt_tos), parsed))
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, received
    finally:
        controller.stop()
