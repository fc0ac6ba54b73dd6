"""Home page, liveness and readiness."""

from datetime import timedelta

from registry.mail import compose, outbox


def test_liveness_answers_without_secrets(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert app.config["SECRET_KEY"] not in response.get_data(as_text=True)


def test_readiness_reports_every_check_when_ready(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "mail_outbox": "0 queued",
                   "redis": "not used"},
    }


def test_readiness_reports_the_mail_backlog_without_failing(client, clock):
    outbox.enqueue(compose(["ann@example.com"], "Hello", "mail/test_message"), "invitation")
    clock.advance(timedelta(minutes=3))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"]["mail_outbox"] == "1 queued, the oldest for 180 s"
