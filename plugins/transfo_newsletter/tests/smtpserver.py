"""A real SMTP server on 127.0.0.1 (aiosmtpd) that can fail the ways real servers do."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class Recorder:
    """aiosmtpd handler keeping every message it reads, with optional faults.

    - `accept`: after that many messages, DATA gets "421" (nothing delivered);
    - `refuse`: addresses whose RCPT gets "550" (no such user), `greylist` "450" (try later),
      both replies quoting the address as real servers do;
    - `drop_at`: the message of that index (0-based) is read whole, kept, then
      the connection is cut before any reply (a server crash after delivery);
    - `hang_at`: the same message is kept, then no reply ever comes (the
      client's timeout runs out after the final dot).
    """

    def __init__(self, accept: int | None = None, refuse=(), greylist=(),
                 drop_at: int | None = None, hang_at: int | None = None):
        self.messages, self.accept = [], accept
        self.refuse, self.greylist = set(refuse), set(greylist)
        self.drop_at, self.hang_at = drop_at, hang_at

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: no such user"
        if address in self.greylist:
            return f"450 4.7.1 <{address.upper()}>: Recipient address rejected: greylisted"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.accept is not None and len(self.messages) >= self.accept:
            return "421 4.3.0 Service shutting down"
        index = len(self.messages)
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        if index == self.drop_at:
            server.transport.abort()  # no reply: the socket is closed at once
            await asyncio.Event().wait()
        if index == self.hang_at:
            await asyncio.Event().wait()  # until the server stops
        return "250 OK"

    def recipients(self) -> list[str]:
        return [rcpt for rcpts, _content in self.messages for rcpt in rcpts]

    def parsed(self, index: int = 0):
        return message_from_bytes(self.messages[index][1], policy=policy.default)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """`with SmtpServer(port, Recorder()) as recorder:` runs the server for the block."""

    def __init__(self, port: int, handler: Recorder):
        self.handler = handler
        self.controller = Controller(handler, hostname="127.0.0.1", port=port)

    def __enter__(self) -> Recorder:
        self.controller.start()
        return self.handler

    def __exit__(self, *exc):
        self.controller.stop()
