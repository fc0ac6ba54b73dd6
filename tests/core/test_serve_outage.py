"""The real server (`dpa-registry serve`, waitress) while PostgreSQL goes away and comes back."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.conftest import POSTGRES_URL
from tests.tcpproxy import TcpProxy, free_port

DPA_REGISTRY = str(Path(sys.executable).parent / "dpa-registry")


@pytest.mark.skipif(not POSTGRES_URL, reason="the proxy stands in front of PostgreSQL: set "
                                             "REGISTRY_TEST_POSTGRES_URL")
def test_served_app_answers_503_while_the_database_is_away(postgres_database, tmp_path):
    target = urlsplit(postgres_database)
    proxy = TcpProxy(target.hostname, target.port or 5432).start()
    url = target._replace(netloc=f"postgres@127.0.0.1:{proxy.port}").geturl()
    env = {**os.environ, "REGISTRY_DATABASE_URL": url, "REGISTRY_DB_CONNECT_TIMEOUT": "2",
           "REGISTRY_INSTANCE_PATH": str(tmp_path / "instance")}
    port = free_port()
    server = subprocess.Popen([DPA_REGISTRY, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            _wait_until_ready(client)
            proxy.stall()
            started = time.monotonic()
            page = client.get("/login")
            assert page.status_code == 503 and page.headers["Retry-After"] == "30"
            assert time.monotonic() - started < 6
            assert client.get("/healthz").status_code == 200
            assert client.get("/readyz").json()["failed"][0] == "database"
            proxy.restore()
            assert client.get("/login").status_code == 200
            assert client.get("/readyz").status_code == 200
    finally:
        server.terminate()
        server.wait(30)
        proxy.stop()


def _wait_until_ready(client):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if client.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("dpa-registry serve did not become ready")
