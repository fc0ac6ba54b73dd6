"""No web request talks to the mail server: with one that accepts and never answers, uploads,
invitations and password resets still answer at once, and their mail is delivered later.

The hanging server never completes a greeting, so a request that tried SMTP would wait for the
client's 60-second timeout; each test asserts that nobody even connected during the request.
"""

import io
import re

import pytest

from registry.mail.background import BackgroundDelivery, delivering
from registry.mail.delivery import deliver_due
from registry.models import MailMessage
from tests.auth_helpers import csrf_token, login, post_form
from tests.documents import pdfs
from tests.factories import make_user
from tests.portal.factories import make_world


def body(message):
    """Return the plain-text part of a message."""
    return message.get_body(("plain",)).get_content()


def queued_while_hanging(hanging_smtp, purpose):
    """Assert the request left one queued message of `purpose` and never connected; return it."""
    assert not hanging_smtp.connected.is_set(), "the request talked to the mail server"
    [row] = MailMessage.select().where(MailMessage.purpose == purpose)
    assert row.status == "queued" and row.attempts == 0
    return row


def delivered_later(app, smtp_url):
    """Deliver the outbox to the working server at `smtp_url`, as the worker would."""
    app.config["SMTP_URL"] = smtp_url
    return deliver_due()


@pytest.fixture
def server_hangs(app, hanging_smtp, smtp):
    """Point the app at the hanging server; return the working one's URL for later."""
    working_url = app.config["SMTP_URL"]
    app.config["SMTP_URL"] = hanging_smtp.url(timeout=60)
    return working_url


def test_an_upload_answers_at_once_and_legal_staff_are_mailed_later(
        app, client, hanging_smtp, smtp, server_hangs):
    first, _second, legal = make_world()
    login(client, first.user)
    url = "/portal/attestations/new?type=iso27001"
    response = client.post(url, content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client.get(url).get_data(as_text=True)),
        "issuer": "Certifier Oy", "issued_on": "2026-10-01", "valid_until": "2029-09-30",
        "standard_version": "2022",
        "file": (io.BytesIO(pdfs.valid_pdf(marker="hanging")), "ISO 27001.pdf")})
    assert response.status_code == 302
    queued_while_hanging(hanging_smtp, "upload received")
    assert delivered_later(app, server_hangs).sent == 1
    [(recipients, message, _auth)] = smtp.messages
    assert recipients == [legal.email] and "ISO 27001.pdf" in body(message)


def test_an_invitation_answers_at_once_and_its_link_works_once_delivered(
        app, make_client, hanging_smtp, smtp, server_hangs):
    admin = make_user("admin", email="admin@processor.example")
    client = login(make_client(), admin)
    response = post_form(client, "/admin/users/invite", {
        "email": "ann@example.test", "full_name": "Ann", "role": "auditor",
        "subcontractor": ""})
    assert response.status_code == 302
    assert "Invitation sent to ann@example.test" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    queued_while_hanging(hanging_smtp, "invitation")
    assert delivered_later(app, server_hangs).sent == 1
    [(recipients, message, _auth)] = smtp.messages
    assert recipients == ["ann@example.test"]
    link = re.search(r"http://registry\.test(/invitation/\S+)", body(message)).group(1)
    assert make_client().get(link).status_code == 200


def test_a_password_reset_answers_at_once_and_its_link_works_once_delivered(
        app, make_client, hanging_smtp, smtp, server_hangs):
    user = make_user("legal", email="lea@processor.example")
    client = make_client()
    response = post_form(client, "/password/forgot", {"email": user.email})
    assert response.status_code == 302
    queued_while_hanging(hanging_smtp, "password reset")
    assert delivered_later(app, server_hangs).sent == 1
    [(recipients, message, _auth)] = smtp.messages
    assert recipients == [user.email]
    link = re.search(r"http://registry\.test(/password/reset/\S+)", body(message)).group(1)
    assert make_client().get(link).status_code == 200


def test_the_serve_thread_delivers_what_a_request_queued(app, make_client, smtp):
    admin = make_user("admin", email="admin@processor.example")
    client = login(make_client(), admin)
    # A long interval: only the request's kick can make the thread deliver within the wait.
    deliverer = BackgroundDelivery(app, interval=3600).start()
    try:
        post_form(client, "/admin/users/invite", {
            "email": "ben@example.test", "full_name": "", "role": "legal",
            "subcontractor": ""})
        assert smtp.wait_for_messages(1, timeout=30), "the thread did not deliver"
    finally:
        deliverer.stop(timeout=30)
    [(recipients, _message, _auth)] = smtp.messages
    assert recipients == ["ben@example.test"]
    assert MailMessage.get().status == "sent"
    assert "mail_deliverer" not in app.extensions


def test_serve_runs_the_thread_only_when_it_delivers_the_mail(app):
    with delivering(app) as deliverer:
        assert deliverer is not None and app.extensions["mail_deliverer"] is deliverer
    assert "mail_deliverer" not in app.extensions
    app.config["MAIL_DELIVERY"] = "worker"
    with delivering(app) as deliverer:
        assert deliverer is None and "mail_deliverer" not in app.extensions
