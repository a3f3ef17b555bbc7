"""Local mail servers for the tests: SMTP (plain, STARTTLS or implicit TLS) and POP3, on 127.0.0.1.

They speak enough of RFC 5321 (with RFC 3207 STARTTLS) and RFC 1939 for Python's smtplib and poplib,
which is what Django's SMTP back-end and ``messaging.bounces`` use; nothing leaves the machine. A
self-signed certificate for 127.0.0.1 is made per test, and trusted through SSL_CERT_FILE, which
``ssl.create_default_context()`` reads: the client checks the certificate as it would in production.
"""

import datetime
import ipaddress
import socket
import socketserver
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.messaging.gateway import SHUTDOWN_POLL_S

HOST = "127.0.0.1"


def certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate (and its key) for 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # Wide: the suite's clock stands still on a fixed day, while OpenSSL checks against the real one.
        .not_valid_before(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
        .not_valid_after(datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@dataclass
class Delivered:
    mail_from: str
    rcpt_to: list[str]
    data: bytes
    over_tls: bool


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, handler: Any, context: ssl.SSLContext | None, **options: Any) -> None:
        super().__init__((HOST, 0), handler)
        self.context = context
        self.options = options

    def tls(self, sock: socket.socket) -> socket.socket:
        """The server side of a TLS connection over ``sock``."""
        assert self.context is not None, "give the server a certificate for TLS"
        return self.context.wrap_socket(sock, server_side=True)


class _Lines:
    """Line-based talk over a socket that may turn into TLS halfway (STARTTLS)."""

    def __init__(self, sock: socket.socket) -> None:
        self.use(sock)

    def use(self, sock: socket.socket) -> None:
        self.sock = sock
        self.file: BinaryIO = sock.makefile("rb")

    def read(self) -> bytes:
        return self.file.readline(65536)

    def send(self, *lines: str) -> None:
        self.sock.sendall("".join(line + "\r\n" for line in lines).encode())


class _SmtpHandler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        options, tls = self.server.options, self.server.options["implicit_tls"]
        sock = self.server.tls(self.request) if tls else self.request
        talk = _Lines(sock)
        talk.send("220 127.0.0.1 ESMTP test server")
        mail_from, rcpt_to = "", list[str]()
        while line := talk.read():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                offer_tls = options["starttls"] and not tls
                talk.send("250-127.0.0.1", *(["250-STARTTLS"] if offer_tls else []), "250 8BITMIME")
            elif verb == "HELO":
                talk.send("250 127.0.0.1")
            elif command.upper() == "STARTTLS" and options["starttls"] and not tls:
                talk.send("220 ready to start TLS")
                talk.use(self.server.tls(sock))
                tls = True
            elif verb == "MAIL":
                mail_from, rcpt_to = command.partition(":")[2].strip().strip("<>").split(">")[0], []
                talk.send("250 OK")
            elif verb == "RCPT":
                address = command.partition(":")[2].strip().strip("<>")
                if address in options["unknown"]:
                    talk.send("550 5.1.1 <" + address + ">: Recipient address rejected: User unknown")
                else:
                    rcpt_to.append(address)
                    talk.send("250 OK")
            elif verb == "DATA":
                talk.send("354 End data with <CR><LF>.<CR><LF>")
                options["delivered"].append(Delivered(mail_from, rcpt_to, _data(talk), tls))
                talk.send("250 OK queued")
            elif verb == "RSET" or verb == "NOOP":
                talk.send("250 OK")
            elif verb == "QUIT":
                talk.send("221 Bye")
                return
            else:
                talk.send("502 command not implemented")


def _data(talk: _Lines) -> bytes:
    lines = []
    while (line := talk.read()) not in (b".\r\n", b""):
        lines.append(line[1:] if line.startswith(b"..") else line)  # RFC 5321 §4.5.2: undo dot-stuffing
    return b"".join(lines)


@dataclass
class MailServer:
    """A running SMTP server; ``delivered`` holds what it accepted."""

    starttls: bool = False
    implicit_tls: bool = False
    cert: tuple[Path, Path] | None = None
    unknown: set[str] = field(default_factory=set)  # addresses refused with 550 5.1.1
    delivered: list[Delivered] = field(default_factory=list)
    port: int = 0

    def __enter__(self) -> "MailServer":
        context = None
        if self.cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.cert)
        self._server = _Server(
            _SmtpHandler,
            context,
            starttls=self.starttls,
            implicit_tls=self.implicit_tls,
            unknown=self.unknown,
            delivered=self.delivered,
        )
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, args=(SHUTDOWN_POLL_S,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Pop3Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        options = self.server.options
        sock = self.server.tls(self.request) if self.server.context else self.request
        talk = _Lines(sock)
        talk.send("+OK test POP3 server ready")
        mailbox: list[bytes] = options["mailbox"]
        deleted: set[int] = set()
        user = ""
        while line := talk.read():
            verb, _space, argument = line.decode().strip().partition(" ")
            verb = verb.upper()
            if verb == "USER":
                user = argument
                talk.send("+OK")
            elif verb == "PASS":
                if (user, argument) != options["login"]:
                    talk.send("-ERR [AUTH] invalid login")
                    return
                talk.send("+OK logged in")
            elif verb == "STAT":
                kept = [m for n, m in enumerate(mailbox, 1) if n not in deleted]
                talk.send(f"+OK {len(kept)} {sum(len(m) for m in kept)}")
            elif verb == "RETR":
                lines = mailbox[int(argument) - 1].split(b"\r\n")
                stuffed = [b"." + x if x.startswith(b".") else x for x in lines]  # RFC 1939 byte-stuffing
                sock.sendall(b"+OK\r\n" + b"\r\n".join(stuffed) + b"\r\n.\r\n")
            elif verb == "DELE":
                deleted.add(int(argument))
                talk.send("+OK deleted")
            elif verb == "QUIT":
                # RFC 1939 §6: deletions take effect only in the UPDATE state, after QUIT.
                for number in sorted(deleted, reverse=True):
                    del mailbox[number - 1]
                talk.send("+OK bye")
                return
            else:
                talk.send("-ERR unknown command")


@dataclass
class Pop3Server:
    """A running POP3 server (with TLS from the start when given a certificate) over ``mailbox``."""

    mailbox: list[bytes] = field(default_factory=list)
    login: tuple[str, str] = ("bounces@example.nl", "geheim")
    cert: tuple[Path, Path] | None = None
    port: int = 0

    def __enter__(self) -> "Pop3Server":
        context = None
        if self.cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.cert)
        self._server = _Server(_Pop3Handler, context, mailbox=self.mailbox, login=self.login)
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, args=(SHUTDOWN_POLL_S,), daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
