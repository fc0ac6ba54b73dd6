"""A real HTTP receiver on loopback that verifies each delivery's signature as a customer's
would, and the app set to allow it (REGISTRY_WEBHOOKS_ALLOW_HTTP_LOOPBACK)."""

import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from registry.webhooks import operations
from tests.factories import make_user

TOLERANCE_SECONDS = 300


def signature_is_valid(secret, header, body):
    """Check X-Registry-Signature the way docs/webhooks.md tells receivers to."""
    parts = [item.split("=", 1) for item in header.split(",")]
    timestamp = int(next(value for key, value in parts if key == "t"))
    if abs(time.time() - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body,
                        hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, value) for key, value in parts if key == "v1")


@dataclass
class Received:
    """One request the receiver got."""

    path: str
    headers: dict
    body: bytes
    signed: bool

    @property
    def event(self):
        return json.loads(self.body)


@dataclass
class Receiver:
    """The server's state: what it answers next, what it received, the secret it verifies."""

    url: str = ""
    secret: str = ""
    answers: list = field(default_factory=list)  # status codes to answer, then 200
    received: list = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)


def _handler(receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            signed = signature_is_valid(receiver.secret,
                                        self.headers.get("X-Registry-Signature", "t=0,v1="), body)
            receiver.received.append(Received(self.path, dict(self.headers), body, signed))
            status = receiver.answers.pop(0) if receiver.answers else 200
            self.send_response(status if signed else 401)
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"receiver broke")
            receiver.arrived.set()

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def receiver():
    """A receiver listening on 127.0.0.1 in a thread; stopped after the test."""
    state = Receiver()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/registry"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_allowed(app):
    """Allow plain HTTP to this machine, as in development."""
    app.config["WEBHOOKS_ALLOW_HTTP_LOOPBACK"] = True
    return app


@pytest.fixture
def admin(app):
    return make_user("admin")


@pytest.fixture
def endpoint(loopback_allowed, receiver, admin):
    """An endpoint for every event, registered for the receiver (which learns its secret)."""
    from registry.webhooks.events import EVENT_TYPES

    created, secret = operations.create_endpoint(receiver.url, "Test receiver",
                                                 list(EVENT_TYPES), admin)
    receiver.secret = secret
    return created
