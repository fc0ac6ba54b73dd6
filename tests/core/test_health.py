"""/healthz answers while the process lives; /readyz only when it can serve (503 says why)."""

import socket

import pytest

from registry import create_app
from tests.conftest import base_config
from tests.tcpproxy import free_port

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_answers():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def make_app(tmp_path, monkeypatch):
    """Build an app on `database_url` (default: a new, unmigrated SQLite file)."""
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path / "instance"))

    def make(database_url=None, **overrides):
        url = database_url or f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return create_app(dict(base_config(tmp_path, url), **overrides))

    return make


def unreachable_sqlite(tmp_path):
    folder = tmp_path / "a-folder.sqlite3"
    folder.mkdir()
    return f"sqlite:///{folder}"


def test_liveness_does_not_need_the_database(make_app, tmp_path):
    client = make_app(unreachable_sqlite(tmp_path)).test_client()
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_unmigrated_database_is_not_ready(make_app):
    response = make_app().test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready" and body["failed"] == ["migrations"]
    assert body["checks"]["migrations"].endswith("pending: run `dpa-registry db upgrade`")
    assert response.headers["Retry-After"]


def test_unreachable_database_is_not_ready(make_app, tmp_path):
    response = make_app(unreachable_sqlite(tmp_path)).test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["database", "migrations"]
    assert response.get_json()["checks"]["database"] == "unreachable"


def test_unreachable_redis_is_not_ready(app):
    app.config["RATELIMIT_STORAGE_URI"] = f"redis://127.0.0.1:{free_port()}/0"
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["redis"]
    assert response.get_json()["checks"]["database"] == "ok"


@pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379")
def test_ready_with_redis(app):
    app.config["RATELIMIT_STORAGE_URI"] = REDIS_URL
    response = app.test_client().get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["redis"] == "ok"
