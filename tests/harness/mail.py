"""A mail server on 127.0.0.1 that speaks just enough SMTP to take a message: what an alert's mailbox would get."""

from __future__ import annotations

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage


@contextmanager
def mail_receiver() -> Iterator[tuple[int, list[EmailMessage]]]:
    """Yields the port to send to and the list the messages received are appended to."""
    received: list[EmailMessage] = []

    class Handler(socketserver.StreamRequestHandler):
        def reply(self, line: str) -> None:
            self.wfile.write(f"{line}\r\n".encode())

        def handle(self):
            self.reply("220 127.0.0.1 test mail server")
            while line := self.rfile.readline():
                command = line.decode("ascii", "replace").strip().upper()
                if command.startswith(("EHLO", "HELO")):
                    self.reply("250 127.0.0.1")
                elif command == "DATA":
                    self.reply("354 end with <CRLF>.<CRLF>")
                    lines = []
                    while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                        lines.append(data[1:] if data.startswith(b"..") else data)
                    received.append(message_from_bytes(b"".join(lines), policy=policy.default))
                    self.reply("250 accepted")
                elif command == "QUIT":
                    self.reply("221 bye")
                    return
                else:  # MAIL FROM, RCPT TO, RSET, NOOP
                    self.reply("250 ok")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], received
    finally:
        server.shutdown()
        server.server_close()
