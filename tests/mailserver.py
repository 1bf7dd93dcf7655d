"""A real SMTP server on loopback (aiosmtpd) for the due job's e-mail tests."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    """One message as the server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def body(self) -> str:
        """The text, with the wire's CRLF line ends made plain newlines."""
        return str(self.message.get_content()).replace("\r\n", "\n")


@dataclass
class Inbox:
    """What the server has received; ``logins`` lists the user names that logged in."""

    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


@contextmanager
def smtp_server(
    *, password: str | None = None, tls: ssl.SSLContext | None = None
) -> Iterator[Inbox]:
    """An SMTP server on 127.0.0.1 for the block. With ``password``, it requires a login
    (any user name, that password); with ``tls``, it offers STARTTLS with that context."""
    inbox = Inbox("127.0.0.1", free_port())

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
        if isinstance(data, LoginPassword) and data.password.decode() == password:
            inbox.logins.append(data.login.decode())
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    kwargs: dict[str, Any] = {}
    if password is not None:
        kwargs.update(authenticator=authenticate, auth_required=True, auth_require_tls=False)
    if tls is not None:
        kwargs.update(tls_context=tls, require_starttls=True)
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port, **kwargs)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()
