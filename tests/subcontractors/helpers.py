"""Signing in for the subcontractor, engagement and review view tests, and small helpers."""

import io

from registry.clock import local_today
from tests.auth_helpers import csrf_token, login
from tests.documents.pdfs import valid_pdf
from tests.factories import make_user


def signed_in(client, role="legal", **options):
    """Sign a new user of `role` in on `client`; return the user."""
    user = make_user(role=role, **options)
    login(client, user)
    return user


def form_post(client, url, data, page_url=None, **options):
    """GET `page_url` (default `url`) for a CSRF token, then POST `data` to `url`."""
    page = client.get(page_url or url)
    assert page.status_code == 200, (page.status_code, page_url or url)
    payload = dict(data, csrf_token=csrf_token(page.get_data(as_text=True)))
    return client.post(url, data=payload, **options)


def pdf_file(name="document.pdf", marker="certificate"):
    """Return an upload tuple for a real PDF."""
    return (io.BytesIO(valid_pdf(marker=marker)), name)


def today():
    """Return the registry's today (in its time zone)."""
    return local_today()


def text(response):
    """Return the response body as text."""
    return response.get_data(as_text=True)
