"""A real SMTP server on loopback (aiosmtpd) that records messages and answers as scripted."""

import socket
import threading
from collections import deque
from email import message_from_bytes
from email.policy import default

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port():
    """Return a loopback TCP port that nothing listens on (aiosmtpd cannot bind port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Accepts mail and keeps it; `data_replies` and `refuse` script failures."""

    def __init__(self):
        self.lock = threading.Condition()
        self.messages = []
        self.data_replies = deque()
        self.refuse = {}
        self.data_commands = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """Refuse the addresses listed in `refuse`, accept the others."""
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """Answer the next scripted reply (250 when none is left) and keep accepted mail."""
        with self.lock:
            self.data_commands += 1
            reply = self.data_replies.popleft() if self.data_replies else "250 Message accepted"
            if reply.startswith("250"):
                message = message_from_bytes(envelope.content, policy=default)
                self.messages.append((list(envelope.rcpt_tos), message, session.authenticated))
                self.lock.notify_all()
        return reply


class SmtpServer:
    """Start/stop an aiosmtpd controller on a free loopback port."""

    def __init__(self, credentials=None, port=None):
        self.handler = RecordingHandler()
        self.port = port or free_port()
        options = {}
        if credentials:
            options = {"authenticator": self._authenticator(credentials),
                       "auth_require_tls": False}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port,
                                     **options)

    @staticmethod
    def _authenticator(credentials):
        def authenticate(server, session, envelope, mechanism, auth_data):
            login = (auth_data.login.decode(), auth_data.password.decode())
            return AuthResult(success=login == credentials, handled=False)

        return authenticate

    @property
    def url(self):
        """Return the smtp:// URL of this server (no login)."""
        return f"smtp://127.0.0.1:{self.port}?timeout=5"

    @property
    def messages(self):
        """Return [(envelope recipients, parsed EmailMessage, authenticated?)] accepted so far."""
        with self.handler.lock:
            return list(self.handler.messages)

    def wait_for_messages(self, count, timeout=30):
        """Wait until `count` messages were accepted (False if `timeout` seconds pass first)."""
        with self.handler.lock:
            return self.handler.lock.wait_for(lambda: len(self.handler.messages) >= count,
                                              timeout)

    def start(self):
        """Start serving."""
        self.controller.start()
        return self

    def stop(self):
        """Stop serving."""
        self.controller.stop()


class HangingSmtp:
    """Accepts TCP connections and never says a word (a mail server that hangs)."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connected = threading.Event()
        self.clients = []
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, timeout=60):
        """Return its smtp:// URL with the client's `timeout` in seconds."""
        return f"smtp://127.0.0.1:{self.port}?timeout={timeout}"

    def _accept(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            self.clients.append(client)
            self.connected.set()

    def close(self):
        """Stop listening and drop every connection."""
        for sock in [self.listener, *self.clients]:
            sock.close()
