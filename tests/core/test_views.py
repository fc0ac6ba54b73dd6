"""Home page and health check."""


def test_health_check_reports_the_database_without_secrets(client, app):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert app.config["SECRET_KEY"] not in response.get_data(as_text=True)
