"""Who alerts reach: invitees who never accepted get none; a company without any account gets,
with its first reminder, an invitation for its contact (once), later ones say how to ask."""

from datetime import timedelta

from registry.alerts import operations
from registry.mail.delivery import deliver_due
from registry.models import Invitation, User
from tests.alerts.factories import make_lapsing_registry, make_staff

LEGAL = ["admin@processor.example", "legal@processor.example"]


def _messages_to(server, address):
    return [message for recipients, message, _auth in server.messages if address in recipients]


def _text(message):
    return message.get_body(("plain",)).get_content()


def test_invited_users_who_never_accepted_get_no_alerts(app, smtp_server, travel):
    rows = make_lapsing_registry()
    make_staff("new-legal@processor.example", accepted=False)
    make_staff("newbie@pilvi.example", role="subcontractor", subcontractor=rows["subcontractor"],
               accepted=False)
    travel(2026, 11, 25, 6, 0)
    report = operations.send_alerts()
    assert not report.failed and not report.deferred
    recipients = sorted(sorted(envelope) for envelope, _message, _auth in smtp_server.messages)
    assert recipients == [LEGAL, ["anna@pilvi.example", "security@pilvi.example"]]


def test_the_first_reminder_of_a_company_without_accounts_invites_its_contact_once(
        app, smtp_server, travel):
    make_lapsing_registry()
    User.delete().where(User.email == "anna@pilvi.example").execute()
    travel(2026, 11, 25, 6, 0)
    operations.send_alerts()
    deliver_due()  # the invitation e-mail waits in the outbox like every other
    [reminder] = [m for m in _messages_to(smtp_server, "security@pilvi.example")
                  if "Reminder" in m["Subject"]]
    assert "we have opened one for security@pilvi.example" in _text(reminder)
    [invitation] = [m for m in _messages_to(smtp_server, "security@pilvi.example")
                    if "invited" in m["Subject"]]
    assert [a.addr_spec for a in invitation["To"].addresses] == ["security@pilvi.example"]
    assert "http://registry.test/invitation/" in _text(invitation)
    assert "72 hours" in _text(invitation)
    contact = User.get(User.email == "security@pilvi.example")
    assert contact.role == "subcontractor" and contact.password_hash is None
    [link] = Invitation.select().where(Invitation.user == contact)
    assert link.expires_at - link.created_at == timedelta(hours=72)

    travel(2026, 12, 25, 6, 0)  # the 30-day reminder: no second invitation
    operations.send_alerts()
    deliver_due()
    reminders = [m for m in _messages_to(smtp_server, "security@pilvi.example")
                 if "Reminder" in m["Subject"]]
    assert len(reminders) == 2
    later = _text(reminders[1])
    assert "opened one" not in later and "no active portal account yet" in later
    assert Invitation.select().where(Invitation.user == contact).count() == 1
    assert len([m for m in smtp_server.messages if "invited" in m[1]["Subject"]]) == 1
