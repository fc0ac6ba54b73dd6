"""Redis (the shared rate-limit store) is down: sign-in still works, limited in memory."""

import logging
import time

import pytest

from registry import create_app
from registry.extensions import database, limiter
from tests.auth_helpers import csrf_token, login
from tests.conftest import base_config
from tests.core.test_health import redis_answers
from tests.factories import make_user
from tests.tcpproxy import TcpProxy, free_port


@pytest.fixture
def redis_down_app(app, tmp_path, database_url):
    """An app on `app`'s database whose rate limits live in a Redis nobody listens for."""
    closed = f"redis://127.0.0.1:{free_port()}/0"
    limited = create_app({**base_config(tmp_path, database_url), "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": closed})
    yield limited
    # The limiter is one object for every app in the process: forget this app's dead store.
    limiter._storage_dead = False


def test_sign_in_works_while_redis_is_down(app, redis_down_app, caplog):
    user = make_user(role="legal")
    client = redis_down_app.test_client()
    with redis_down_app.app_context(), caplog.at_level(logging.WARNING):
        login(client, user)
        assert client.get("/dashboard").status_code == 200
        database.connect(reuse_if_open=True)
    assert "falling back to in-memory storage" in caplog.text


def test_sign_in_is_still_limited_in_memory_while_redis_is_down(app, redis_down_app):
    client = redis_down_app.test_client()
    with redis_down_app.app_context():
        token = csrf_token(client.get("/login").get_data(as_text=True))
        statuses = [client.post("/login", data={"email": "x@example.test", "password": "nope",
                                                "csrf_token": token}).status_code
                    for _ in range(11)]
        database.connect(reuse_if_open=True)
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


@pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379")
def test_a_stalled_redis_costs_one_bounded_wait(app, tmp_path, database_url):
    proxy = TcpProxy("127.0.0.1", 6379).start()
    stalled = create_app({**base_config(tmp_path, database_url), "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{proxy.port}/15"})
    client = stalled.test_client()
    try:
        with stalled.app_context():
            token = csrf_token(client.get("/login").get_data(as_text=True))
            form = {"email": "x@example.test", "password": "nope", "csrf_token": token}
            assert client.post("/login", data=form).status_code == 200
            proxy.stall()
            started = time.monotonic()
            assert client.post("/login", data=form).status_code == 200
            assert client.post("/login", data=form).status_code == 200
            # A 1 s timeout for the failed count, one for the first check whether Redis is
            # back (then seconds apart); the rest is counted in memory.
            assert time.monotonic() - started < 3.5
            database.connect(reuse_if_open=True)
    finally:
        proxy.stop()
        limiter._storage_dead = False
