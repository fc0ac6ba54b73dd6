"""Security headers on every response: pages, errors (404, 500) and downloads."""

import io
import re

import pytest
from flask import send_file

from registry.auth.access import EVERYONE, public, roles_required
from registry.security import DOWNLOAD_POLICY
from tests.auth_helpers import login
from tests.factories import make_user


def _assert_baseline(response):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "object-src 'none'",
                      "base-uri 'none'", "form-action 'self'"):
        assert directive in csp, directive
    assert re.search(r"script-src 'self' 'nonce-[A-Za-z0-9_-]{20,}'", csp)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


@pytest.fixture
def extra_routes(app):
    """A download and a failing view, added before the first request."""

    @public
    def boom():
        raise RuntimeError("internal detail: /srv/secret/path")

    @roles_required(*EVERYONE)
    def download():
        return send_file(io.BytesIO(b"%PDF-1.7\n"), mimetype="application/pdf",
                         as_attachment=True, download_name="evidence.pdf")

    app.add_url_rule("/test-boom", "test_boom", boom)
    app.add_url_rule("/test-download", "test_download", download)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


def test_headers_on_a_page(app, client):
    response = client.get("/login")
    assert response.status_code == 200
    _assert_baseline(response)
    assert response.headers["Cache-Control"] == "no-store"


def test_headers_on_404(app, client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    _assert_baseline(response)
    assert "Page not found" in response.get_data(as_text=True)


def test_headers_on_500_without_traceback(extra_routes, client):
    response = client.get("/test-boom")
    assert response.status_code == 500
    _assert_baseline(response)
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body
    assert "Traceback" not in body and "RuntimeError" not in body and "/srv/secret" not in body


def test_headers_on_a_download(extra_routes, client):
    login(client, make_user("auditor"))
    response = client.get("/test-download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Content-Security-Policy"] == DOWNLOAD_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_signed_in_pages_are_not_stored(app, client):
    login(client, make_user())
    response = client.get("/account")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_nonce_is_fresh_per_request_and_used_by_scripts(app, client):
    first = client.get("/login").headers["Content-Security-Policy"]
    second = client.get("/login").headers["Content-Security-Policy"]
    assert first != second


def test_hsts_only_over_https(app, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    app.config["BASE_URL"] = "https://registry.example"
    assert "Strict-Transport-Security" in client.get("/healthz").headers


@pytest.mark.parametrize("method, url, code", [
    ("DELETE", "/login", 405), ("GET", "/logout", 405),
])
def test_generic_error_pages(app, client, method, url, code):
    response = client.open(url, method=method)
    assert response.status_code == code
    _assert_baseline(response)
    assert "<h1>" in response.get_data(as_text=True)


def test_no_inline_scripts_or_external_assets_on_pages(app, client):
    login(client, make_user("admin"))
    for url in ("/login", "/account", "/admin/users", "/admin/users/invite"):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert not re.search(r"""(src|href)=["']https?://""", html), url
        assert not re.search(r"<[^>]+\son[a-z]+=", html), url  # no inline event handlers
