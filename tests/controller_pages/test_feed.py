"""The Atom feed of a controller's changes, read with a real feed parser."""

from datetime import timedelta

import feedparser

from registry.models import Engagement, utcnow
from tests.registry_factories import days, make_engagement, make_subcontractor


def _feed(client, party):
    response = client.get(f"{party.path}/feed.atom")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_the_feed_validates_and_lists_only_this_controllers_changes(client, parties):
    aurora, _borealis = parties
    feed = _feed(client, aurora)
    assert feed.feed.title == "Sub-processor changes for Aurora Kauppa Oy"
    titles = [entry.title for entry in feed.entries]
    assert "Sub-processor proposed: Aurora Mailer Ltd" in titles
    assert "DPA signed: Aurora Kauppa Oy DPA, v1" in titles
    assert not [title for title in titles if "Borealis" in title]
    assert all(aurora.token not in entry.id for entry in feed.entries)
    dates = [entry.updated_parsed for entry in feed.entries]
    assert dates == sorted(dates, reverse=True)  # newest first


def test_the_feed_gains_an_entry_when_a_sub_processor_is_proposed(client, parties):
    aurora, borealis = parties
    before = {entry.id for entry in _feed(client, aurora).entries}
    make_engagement(make_subcontractor(name="Nimbus Analytics AB", status="proposed"),
                    aurora.controller, on_list_at_signing=False, proposed_on=days(-1),
                    notified_on=days(0), notice_recipients=["dpo@aurora.example"],
                    notice_sent_at=utcnow() - timedelta(minutes=5))
    after = _feed(client, aurora).entries
    new = [entry for entry in after if entry.id not in before]
    assert [entry.title for entry in new] == ["Sub-processor proposed: Nimbus Analytics AB"]
    assert new[0].link.endswith(aurora.path)
    assert "Nimbus" not in str(_feed(client, borealis).entries)


def test_an_objection_and_a_withdrawal_are_entries_too(client, parties):
    aurora = parties[0]
    Engagement.update(objected_on=days(0)).where(Engagement.id == aurora.pending.id).execute()
    Engagement.update(withdrawn_on=days(0)).where(Engagement.id == aurora.authorised.id).execute()
    titles = [entry.title for entry in _feed(client, aurora).entries]
    assert "Objection recorded: Aurora Mailer Ltd" in titles
    assert "Sub-processor withdrawn: Aurora Hosting Oy" in titles
