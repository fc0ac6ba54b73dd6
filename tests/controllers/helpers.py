"""Helpers for the legal staff's page tests: sign in by role, post forms, PDFs to upload."""

import io

from tests.auth_helpers import login, post_form
from tests.documents.pdfs import valid_pdf
from tests.factories import make_user


def signed_in(client, role="legal"):
    """Create a user of `role`, sign in with password and TOTP, and return the user."""
    user = make_user(role)
    login(client, user)
    return user


def submit(client, url, data, page_url=None):
    """POST `data` (files as (stream, name) tuples) with the CSRF token of `page_url` or `url`."""
    return post_form(client, url, data, page_url=page_url)


def pdf_file(marker="signed agreement", name="signed.pdf"):
    """Return an upload tuple holding a small valid PDF."""
    return io.BytesIO(valid_pdf(marker=marker)), name


def text(response):
    """Return the response body as text."""
    return response.get_data(as_text=True)
