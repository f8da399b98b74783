"""A real SMTP server on loopback for the tests (aiosmtpd), and what it received."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller


class Collector:
    """An aiosmtpd handler keeping what arrives; refuses the recipients in `refuse`
    and, after DATA, the messages whose subject is "VIRUS"."""

    def __init__(self, refuse: frozenset[str] = frozenset(), drop: bool = False) -> None:
        self.refuse, self.drop = refuse, drop
        self.envelopes: list[tuple[str, list[str], bytes, bool, Any]] = []
        self.ehlo: list[str] = []
        self.data_attempts = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.ehlo.append(hostname)
        session.host_name = hostname  # a handle_EHLO hook takes this over from aiosmtpd
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.data_attempts += 1
        if self.drop:
            server.transport.close()  # the server goes away in the middle of DATA
            return "421 bye"
        if b"Subject: VIRUS" in envelope.original_content:
            return "554 5.7.1 Message rejeté"
        encrypted = server.transport.get_extra_info("ssl_object") is not None
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos),
                               envelope.original_content or envelope.content,
                               encrypted, session.auth_data))
        return "250 Message accepted"

    def message(self, index: int = 0) -> EmailMessage:
        return email.message_from_bytes(self.envelopes[index][2], policy=email.policy.default)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., Controller]]:
    """Start aiosmtpd controllers on loopback; all are stopped after the test."""
    started: list[Controller] = []

    def start(handler: Collector, **kwargs: Any) -> Controller:
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                                server_hostname="smtp.test", **kwargs)
        controller.start()
        started.append(controller)
        return controller

    yield start
    for controller in started:
        controller.stop()
