"""A tiny SMTP server on 127.0.0.1 for tests: it either accepts messages (and keeps them) or
refuses every sender with a temporary error, like a mail server that is down for maintenance."""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Mailbox:
    refuse: bool = False
    received: list[bytes] = field(default_factory=list)
    refusals: int = 0


class _Handler(socketserver.StreamRequestHandler):
    mailbox: Mailbox

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 stub.test ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 stub.test")
            elif command.startswith("MAIL FROM"):
                if self.mailbox.refuse:
                    self.mailbox.refusals += 1
                    self.reply("451 4.3.0 Mail server temporarily unavailable")
                else:
                    self.reply("250 OK")
            elif command.startswith("RCPT TO"):
                self.reply("250 OK")
            elif command == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self.mailbox.received.append(self._read_data())
                self.reply("250 OK queued")
            elif command in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif command == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def _read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) and line != b".\r\n":
            lines.append(line)
        return b"".join(lines)


class SmtpStub:
    def __init__(self, *, refuse: bool = False):
        self.mailbox = Mailbox(refuse=refuse)
        handler = type("Handler", (_Handler,), {"mailbox": self.mailbox})
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpStub:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
