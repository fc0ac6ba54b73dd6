"""Home page, liveness and readiness."""


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
        "checks": {"database": "ok", "migrations": "ok", "redis": "not used"},
    }
