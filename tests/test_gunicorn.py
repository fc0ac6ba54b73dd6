"""gunicorn (the `gunicorn` extra) serves the app with the documented command, for real.

Behind REGISTRY_PROXY_HOPS proxies each client keeps its own sign-in limit, as under
`dpa-registry serve`; without proxies a forwarded address is not believed.
"""

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.auth_helpers import csrf_token
from tests.serving import wait_until_serving
from tests.tcpproxy import free_port

pytest.importorskip("gunicorn", reason="gunicorn is not installed (pip install -e '.[test]')")

BIN = Path(sys.executable).parent
REPOSITORY = Path(__file__).resolve().parents[1]
ATTEMPTS = 12  # the sign-in limit is 10 a minute per client address


@pytest.fixture
def gunicorn(tmp_path):
    """Start gunicorn with the documented settings; return its base URL and first /healthz."""
    servers = []

    def start(workers=2, **environment):
        env = {**os.environ, "PYTHONPATH": str(REPOSITORY),
               "REGISTRY_DATABASE_URL": f"sqlite:///{tmp_path}/registry.sqlite3",
               "REGISTRY_INSTANCE_PATH": str(tmp_path / "instance"), **environment}
        subprocess.run([str(BIN / "dpa-registry"), "db", "upgrade"], env=env, check=True,
                       capture_output=True, timeout=120)
        port = free_port()
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "python:registry.gunicorn_config",
             "--bind", f"127.0.0.1:{port}", "--workers", str(workers)],
            env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        servers.append(server)
        base = f"http://127.0.0.1:{port}"
        return base, wait_until_serving(base, server)

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


def test_gunicorn_serves_the_health_checks(gunicorn):
    base, health = gunicorn()

    assert health.status_code == 200 and health.json() == {"status": "ok"}
    ready = httpx.get(f"{base}/readyz", timeout=10)
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


def test_behind_one_proxy_each_client_has_its_own_sign_in_limit(gunicorn):
    base, _ = gunicorn(workers=1, REGISTRY_PROXY_HOPS="1")  # limits in this process's memory

    statuses = _sign_in_statuses(base)

    assert 429 not in statuses, statuses


def test_without_a_proxy_a_forwarded_address_is_not_believed(gunicorn):
    base, _ = gunicorn(workers=1, REGISTRY_PROXY_HOPS="0")

    statuses = _sign_in_statuses(base)

    assert statuses.count(429) == ATTEMPTS - 10, statuses
