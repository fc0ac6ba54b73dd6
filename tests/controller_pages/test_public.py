"""The optional public sub-processor page: off by default, its feed, and e-mail subscriptions
with double opt-in and one-click unsubscribe (List-Unsubscribe, RFC 8058)."""

import re
from datetime import timedelta

import feedparser
import pytest

from registry.models import AuditEvent, SubprocessorSubscription, utcnow
from tests.registry_factories import days, make_engagement, make_subcontractor
from tests.subcontractors.helpers import form_post, text

CONFIRM = re.compile(r"http://registry\.test(/sub-processors/subscription/[\w-]+)")


@pytest.fixture
def published(app, parties):
    """The public page switched on, over Aurora's and Borealis's sub-processors."""
    app.config["PUBLIC_SUBPROCESSORS"] = True
    return parties


def _mails(smtp_server, deliver, address):
    deliver()
    return [message for envelope, message, _ in smtp_server.messages if envelope == [address]]


def _body(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_the_public_page_is_off_by_default(client, parties):
    for path in ("/sub-processors", "/sub-processors/feed.atom"):
        assert client.get(path).status_code == 404
    refused = client.post("/sub-processors/subscribe", data={"email": "a@b.example"})
    assert refused.status_code in (400, 404)  # the form token is checked before anything
    assert SubprocessorSubscription.select().count() == 0


def test_the_public_page_and_feed_name_sub_processors_never_clients(client, published):
    page = text(client.get("/sub-processors"))
    assert "Aurora Hosting Oy" in page and "Borealis Hosting Oy" in page
    assert "Proposed sub-processors" in page and "Aurora Mailer Ltd" in page
    assert "Aurora Kauppa Oy" not in page and "Borealis Oy" not in page
    response = client.get("/sub-processors/feed.atom")
    feed = feedparser.parse(response.data)
    assert not feed.bozo and feed.version == "atom10"
    titles = [entry.title for entry in feed.entries]
    assert "Sub-processor proposed: Aurora Mailer Ltd" in titles
    assert "Kauppa" not in response.get_data(as_text=True)


def _subscribe(client, smtp_server, deliver, address="reader@example.org"):
    response = form_post(client, "/sub-processors/subscribe", {"email": address},
                         page_url="/sub-processors")
    assert response.status_code == 302
    mails = _mails(smtp_server, deliver, address)
    return CONFIRM.search(_body(mails[-1])).group(1) if mails else None


def test_a_subscription_starts_only_once_the_mailed_link_is_confirmed(
        client, make_client, published, smtp_server, deliver):
    path = _subscribe(client, smtp_server, deliver)
    assert "If reader@example.org is not subscribed yet" in text(client.get("/sub-processors"))
    make_client().get(path)  # a mail scanner opening the link subscribes nobody
    assert SubprocessorSubscription.get().confirmed_at is None
    confirmed = form_post(make_client(), path, {})
    assert "You are subscribed" in text(confirmed)
    assert SubprocessorSubscription.get().confirmed_at is not None
    assert make_client().get(path).status_code == 404  # single use
    before = len(_mails(smtp_server, deliver, "reader@example.org"))
    _subscribe(make_client(), smtp_server, deliver)  # again: same answer, no second mail
    assert len(_mails(smtp_server, deliver, "reader@example.org")) == before
    actions = [event.action for event in AuditEvent.select()]
    assert "subscription.requested" in actions and "subscription.confirmed" in actions


def test_subscribers_get_each_days_changes_once_and_unsubscribe_in_one_click(
        client, make_client, runner, published, smtp_server, deliver, clock):
    form_post(make_client(), _subscribe(client, smtp_server, deliver), {})
    make_engagement(make_subcontractor(name="Nimbus Analytics AB", status="proposed"),
                    published[0].controller, on_list_at_signing=False, proposed_on=days(0),
                    notified_on=days(0), notice_recipients=["dpo@aurora.example"],
                    notice_sent_at=utcnow())
    assert "0 subscribers e-mailed" in runner.invoke(args=["controllers", "send-changes"]).output
    clock.advance(timedelta(days=1))
    assert "1 subscriber e-mailed" in runner.invoke(args=["controllers", "send-changes"]).output
    assert "0 subscribers e-mailed" in runner.invoke(args=["controllers", "send-changes"]).output
    [mail] = _mails(smtp_server, deliver, "reader@example.org")[1:]  # after the confirmation
    assert "Sub-processor proposed: Nimbus Analytics AB" in _body(mail)
    assert "Kauppa" not in _body(mail)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<http://registry\.test(/sub-processors/unsubscribe/[\w-]+)>",
                               mail["List-Unsubscribe"]).group(1)
    assert make_client().post(unsubscribe[:-2] + "xx").status_code == 404
    one_click = make_client().post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200 and "You are unsubscribed" in text(one_click)
    assert SubprocessorSubscription.get().unsubscribed_at is not None
    clock.advance(timedelta(days=2))
    make_engagement(make_subcontractor(name="Later Ltd", status="proposed"),
                    published[0].controller, on_list_at_signing=False,
                    notified_on=days(-1), notice_recipients=["dpo@aurora.example"],
                    notice_sent_at=utcnow() - timedelta(days=1))
    assert "0 subscribers e-mailed" in runner.invoke(args=["controllers", "send-changes"]).output


def test_an_invalid_address_is_refused_on_the_page(client, published, smtp_server):
    response = form_post(client, "/sub-processors/subscribe", {"email": "not an address"},
                         page_url="/sub-processors")
    assert response.status_code == 400 and "not a valid e-mail address" in text(response)
    assert SubprocessorSubscription.select().count() == 0
