"""The admins' mail page: the outbox with its failures, a retry, and the dashboard's warning."""

from registry.mail import compose, outbox
from registry.mail.delivery import deliver_due
from registry.models import AuditEvent, MailMessage
from tests.auth_helpers import login, post_form
from tests.factories import make_user
from tests.mail.smtpserver import free_port


def queue(address, purpose="invitation"):
    """Queue one test message to `address`."""
    return outbox.enqueue(compose([address], "Hello", "mail/test_message"), purpose)


def admin_client(make_client):
    """A client signed in as an administrator."""
    return login(make_client(), make_user("admin", email="admin@processor.example"))


def test_the_page_lists_failures_with_their_reason(
        app, make_client, smtp):
    smtp.handler.refuse["nobody@example.com"] = "550 No such user"
    queue("nobody@example.com", "password reset")
    queue("ann@example.com")
    deliver_due()
    client = admin_client(make_client)
    page = client.get("/admin/mail/?status=failed").get_data(as_text=True)
    assert "nobody@example.com" in page and "550" in page and "password reset" in page
    assert "ann@example.com" not in page
    assert client.get("/admin/mail/?status=sent").get_data(as_text=True).count(
        "ann@example.com") == 1


def test_the_dashboard_warns_admins_of_failed_mail(app, make_client, smtp):
    smtp.handler.refuse["nobody@example.com"] = "550 No such user"
    queue("nobody@example.com")
    deliver_due()
    dashboard = admin_client(make_client).get("/dashboard").get_data(as_text=True)
    assert "1 e-mail (invitations, resets, review outcomes) could not be delivered" in dashboard
    assert "/admin/mail/?status=failed" in dashboard


def test_the_page_has_an_empty_state(app, make_client):
    page = admin_client(make_client).get("/admin/mail/").get_data(as_text=True)
    assert "No e-mails yet." in page


def test_retry_now_makes_the_waiting_messages_due_and_is_audited(app, make_client, clock):
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}?timeout=2"
    queue("ann@example.com")
    deliver_due()
    assert MailMessage.get().next_attempt_at > clock.moment.replace(tzinfo=None)
    client = admin_client(make_client)
    response = post_form(client, "/admin/mail/retry", {}, page_url="/admin/mail/")
    assert response.status_code == 302
    assert "1 waiting e-mail is tried again now." in client.get(
        response.headers["Location"]).get_data(as_text=True)
    assert MailMessage.get().next_attempt_at <= clock.moment.replace(tzinfo=None)
    assert AuditEvent.get(AuditEvent.action == "mail.retry_requested").actor_id is not None


def test_retry_needs_the_csrf_token_and_only_admins_see_the_page(app, make_client):
    client = admin_client(make_client)
    assert client.post("/admin/mail/retry").status_code == 400
    legal = login(make_client(), make_user("legal", email="lea@processor.example"))
    assert legal.get("/admin/mail/").status_code == 403
    assert legal.post("/admin/mail/retry").status_code in (400, 403)
