"""`dpa-registry serve` behind a reverse proxy: the client's address reaches the app.

Waitress drops X-Forwarded-* headers from peers it does not trust, before the app's ProxyFix
(REGISTRY_PROXY_HOPS) can read them: every user then shared the proxy's address, so one
sign-in limit applied to the whole organisation. These tests run the real server.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.auth_helpers import csrf_token

DPA_REGISTRY = str(Path(sys.executable).parent / "dpa-registry")
ATTEMPTS = 12  # the sign-in limit is 10 a minute per client address


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def serve(tmp_path):
    """Start `dpa-registry serve` with extra environment; yield its base URL; stop it."""
    servers = []
    database_url = f"sqlite:///{tmp_path}/serve.sqlite3"

    def start(**environment):
        env = {**os.environ, "REGISTRY_DATABASE_URL": database_url,
               "REGISTRY_INSTANCE_PATH": str(tmp_path / "instance"),
               "REGISTRY_RATELIMIT_STORAGE_URL": "memory://", **environment}
        subprocess.run([DPA_REGISTRY, "db", "upgrade"], env=env, check=True,
                       capture_output=True, timeout=120)
        port = _free_port()
        server = subprocess.Popen([DPA_REGISTRY, "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(server)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/login", timeout=2)
                return base
            except httpx.TransportError:
                time.sleep(0.2)
        raise AssertionError("dpa-registry serve did not start")

    yield start
    for server in servers:
        server.terminate()
        server.wait(30)


def _sign_in_statuses(base):
    """POST a wrong password ATTEMPTS times, each from another forwarded client address."""
    with httpx.Client(base_url=base, timeout=30) as client:
        token = csrf_token(client.get("/login").text)
        return [
            client.post("/login", headers={"X-Forwarded-For": f"203.0.113.{number}"},
                        data={"csrf_token": token, "email": "nobody@example.com",
                              "password": "wrong password"}).status_code
            for number in range(1, ATTEMPTS + 1)
        ]


def test_behind_one_proxy_each_client_has_its_own_sign_in_limit(serve):
    statuses = _sign_in_statuses(serve(REGISTRY_PROXY_HOPS="1"))
    assert 429 not in statuses, statuses


def test_without_a_proxy_a_forwarded_address_is_not_believed(serve):
    statuses = _sign_in_statuses(serve(REGISTRY_PROXY_HOPS="0"))
    assert statuses.count(429) == ATTEMPTS - 10, statuses
