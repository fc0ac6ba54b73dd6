"""The portal's e-mails arrive at a real SMTP server on loopback, to the right people and links."""

import io

import pytest

from registry.attestations.operations import accept_attestation, reject_attestation
from registry.mail.delivery import deliver_due
from registry.models import Attestation, MailMessage, User
from registry.portal.invitations import invite_subcontractor_user
from tests.auth_helpers import csrf_token, login
from tests.documents import pdfs
from tests.factories import make_user
from tests.mail.smtpserver import SmtpServer, free_port


@pytest.fixture
def smtp(app):
    """A loopback SMTP server the app delivers to."""
    server = SmtpServer().start()
    app.config["SMTP_URL"] = server.url
    yield server
    server.stop()


def delivered(server):
    """Deliver the mail outbox as the worker would, then return what `server` accepted."""
    deliver_due()
    return server.messages


def body(message):
    """Return the plain-text part of a message."""
    return message.get_body(("plain",)).get_content()


def links(message):
    """Return the http(s) links in the message's plain text."""
    return [word for word in body(message).split() if word.startswith("http")]


def post_upload(client):
    """Upload a valid ISO 27001 certificate through the portal form."""
    url = "/portal/attestations/new?type=iso27001"
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, content_type="multipart/form-data", data={
        "csrf_token": token, "issuer": "Certifier Oy", "issued_on": "2026-10-01",
        "valid_until": "2029-09-30", "standard_version": "2022",
        "file": (io.BytesIO(pdfs.valid_pdf(marker="mail")), "ISO 27001.pdf")})


def test_an_upload_tells_active_legal_staff_with_a_link_to_the_review_queue(world, client,
                                                                           smtp):
    first, _second, legal = world
    admin = make_user("admin", email="admin@processor.example")
    make_user("legal", email="gone@processor.example", is_active=False)
    make_user("auditor", email="auditor@processor.example")
    login(client, first.user)
    assert post_upload(client).status_code == 302
    [(recipients, message, _auth)] = delivered(smtp)
    assert sorted(recipients) == sorted([legal.email, admin.email])
    assert "ISO/IEC 27001 certificate" in message["Subject"] and "Alpha" in message["Subject"]
    assert links(message) == ["http://registry.test/review"]
    assert "ISO 27001.pdf" in body(message)


def test_accepting_tells_the_company_contacts_and_users(world, smtp):
    first, second, legal = world
    make_user("subcontractor", subcontractor=second.subcontractor, email="left@bravo.example",
              is_active=False)
    outcome = accept_attestation(second.upload, legal)
    assert outcome.notified and outcome.attestation.review == "accepted"
    [(recipients, message, _auth)] = delivered(smtp)
    assert sorted(recipients) == sorted([*second.subcontractor.contacts, second.user.email])
    assert first.user.email not in recipients
    assert "accepted" in message["Subject"]
    assert "It counts until" in body(message)
    assert links(message) == ["http://registry.test/portal/"]


def test_rejecting_tells_the_reason_and_links_to_the_upload_form(world, smtp):
    _first, second, legal = world
    reject_attestation(second.upload, legal, "The certificate names another company.")
    [(recipients, message, _auth)] = delivered(smtp)
    assert second.user.email in recipients
    assert "not accepted" in message["Subject"]
    assert "The certificate names another company." in body(message)
    assert links(message) == ["http://registry.test/portal/attestations/new?type=iso27001"]
    html = message.get_body(("html",)).get_content()
    assert "The certificate names another company." in html


def test_a_rejection_reason_is_escaped_in_the_html_part(world, smtp):
    _first, second, legal = world
    reject_attestation(second.upload, legal, "<script>alert(1)</script> wrong scope")
    [(_recipients, message, _auth)] = delivered(smtp)
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_invitation_reaches_the_invited_person_with_a_single_use_link(world, smtp):
    first, _second, legal = world
    user, mailed = invite_subcontractor_user(first.subcontractor, "New.Person@Alpha.example",
                                             legal, "New Person")
    assert mailed
    assert user.email == "new.person@alpha.example"
    assert user.subcontractor_id == first.subcontractor.id and user.role == "subcontractor"
    [(recipients, message, _auth)] = delivered(smtp)
    assert recipients == ["new.person@alpha.example"]
    [link] = [url for url in links(message) if "/invitation/" in url]
    assert link.startswith("http://registry.test/invitation/")


def test_a_failed_delivery_keeps_the_decision_and_the_message_for_a_retry(world, app):
    _first, second, legal = world
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}?timeout=1"
    outcome = reject_attestation(second.upload, legal, "Blurred scan")
    assert outcome.notified is True  # queued; the mail server is not asked in the decision
    assert deliver_due().server_unreachable
    assert Attestation.get_by_id(second.upload.id).review == "rejected"
    [queued] = MailMessage.select()
    assert queued.status == "queued" and queued.attempts == 1
    assert "cannot reach" in queued.last_error
    assert User.select().count() == 3


def test_the_date_it_counts_until_is_written_in_the_companys_language(world, smtp):
    _first, second, legal = world
    Subcontractor = type(second.subcontractor)
    Subcontractor.update(language="fi").where(
        Subcontractor.id == second.subcontractor.id).execute()
    outcome = accept_attestation(second.upload, legal)
    until = outcome.attestation.valid_until or outcome.attestation.period_end
    [(_recipients, message, _auth)] = delivered(smtp)
    months = ["tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta",
              "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"]
    text = body(message)
    if until is not None:
        assert f"{until.day}. {months[until.month - 1]} {until.year}" in text
    assert not any(f" {english} " in text for english in
                   ("January", "February", "March", "April", "May", "June", "July", "August",
                    "September", "October", "November", "December"))
