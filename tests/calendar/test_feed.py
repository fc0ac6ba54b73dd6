"""The feed: parsed with `icalendar` and compared with the registry; scoped like the portal;
a revoked or unknown link answers 404."""

import re
from datetime import date, timedelta

import pytest
from icalendar import Calendar

from registry.calendar.models import CalendarFeed
from registry.checks import current_snapshot
from registry.extensions import database
from registry.models import AuditEvent, User
from tests.auth_helpers import login, post_form
from tests.calendar.conftest import EXPIRES_ON, RETURN_DUE_ON, REVIEW_ON
from tests.factories import make_user


def _new_link(client):
    response = post_form(client, "/account/calendar", {})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    url = re.search(r'id="calendar-link"><code>(\S+)</code>',
                    response.get_data(as_text=True)).group(1)
    return url.replace("http://localhost", "")


def _events(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return calendar, list(calendar.walk("VEVENT"))


def _by_uid(events):
    return {str(event["UID"]).split("@")[0]: event for event in events}


def _day(event):
    return event.decoded("DTSTART")


@pytest.fixture
def legal_client(dates, make_client):
    return login(make_client(), make_user("legal"))


def test_staff_see_every_date_once_on_its_day(dates, legal_client):
    calendar, events = _events(legal_client, _new_link(legal_client))
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    uids = [str(event["UID"]) for event in events]
    assert len(uids) == len(set(uids)), "each date once"
    matrix = current_snapshot().assessment.requirement_matrix
    alpha_until = matrix[dates.alpha.subcontractor.id][0].valid_until
    assert alpha_until == dates.alpha_evidence.valid_until == date(2027, 2, 28)
    engagement, aurora = dates.engagement.id, dates.aurora.id
    expected = {
        f"dpa-{dates.aurora_dpa.id}-expiry": EXPIRES_ON,
        f"dpa-{dates.aurora_dpa.id}-review": REVIEW_ON,
        f"attestation-{dates.alpha_evidence.id}-lapses": date(2027, 2, 28),
        f"attestation-{dates.bravo_evidence.id}-lapses": date(2027, 4, 30),
        f"engagement-{engagement}-controller-{aurora}-objection": date(2026, 12, 20),
        f"return-or-deletion-controller-{dates.borealis.id}": RETURN_DUE_ON,
        f"return-or-deletion-controller-{dates.borealis.id}-subcontractor-"
        f"{dates.alpha.subcontractor.id}": RETURN_DUE_ON,
    }
    assert {uid: _day(event) for uid, event in _by_uid(events).items()} == expected
    objection = current_snapshot().assessment.findings
    assert [f.due_on for f in objection if f.code == "engagement_objection_period"] == [
        date(2026, 12, 20)]


def test_events_are_all_day_with_a_reminder(dates, legal_client):
    _calendar, events = _events(legal_client, _new_link(legal_client))
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and end == start + timedelta(days=1)
        assert event["DTSTART"].params.get("VALUE") == "DATE" or ";VALUE=DATE:" in \
            event.to_ical().decode()
        [alarm] = event.walk("VALARM")
        assert alarm["ACTION"] == "DISPLAY"
        assert alarm.decoded("TRIGGER") == timedelta(days=-7)
    expiry = _by_uid(events)[f"dpa-{dates.aurora_dpa.id}-expiry"]
    assert "Aurora Kauppa Oy" in str(expiry["SUMMARY"])
    assert str(expiry["URL"]).endswith(f"/dpas/{dates.aurora_dpa.id}")


def test_uids_are_stable_from_one_fetch_to_the_next(dates, legal_client):
    path = _new_link(legal_client)
    first = sorted(str(event["UID"]) for event in _events(legal_client, path)[1])
    second = sorted(str(event["UID"]) for event in _events(legal_client, path)[1])
    assert first == second and all(uid.endswith("@registry.test") for uid in first)


def test_a_subcontractor_sees_only_its_own_dates(dates, make_client):
    client = login(make_client(), dates.alpha.user)
    _calendar, events = _events(client, _new_link(client))
    got = {uid: _day(event) for uid, event in _by_uid(events).items()}
    assert got == {
        f"attestation-{dates.alpha_evidence.id}-lapses": date(2027, 2, 28),
        f"return-or-deletion-controller-{dates.borealis.id}-subcontractor-"
        f"{dates.alpha.subcontractor.id}": RETURN_DUE_ON,
    }
    text = b"".join(event.to_ical() for event in events).decode()
    assert "Bravo" not in text and "Aurora" not in text and "/portal/" in text


def test_a_revoked_or_replaced_link_answers_404(dates, legal_client):
    first = _new_link(legal_client)
    second = _new_link(legal_client)
    assert legal_client.get(first).status_code == 404
    assert legal_client.get(second).status_code == 200
    post_form(legal_client, "/account/calendar/revoke", {}, page_url="/account/calendar")
    assert legal_client.get(second).status_code == 404
    assert legal_client.get("/calendar/not-a-token.ics").status_code == 404
    actions = [event.action for event in AuditEvent.select().where(
        AuditEvent.action.startswith("calendar.")).order_by(AuditEvent.id)]
    assert actions == ["calendar.feed_created", "calendar.feed_created",
                       "calendar.feed_revoked"]


def test_the_link_works_signed_out_but_not_for_a_deactivated_user(dates, make_client):
    user = make_user("auditor")
    path = _new_link(login(make_client(), user))
    anonymous = make_client()
    assert anonymous.get(path).status_code == 200
    User.update(is_active=False).where(User.id == user.id).execute()
    assert anonymous.get(path).status_code == 404


def test_only_the_token_hash_is_stored(dates, legal_client):
    path = _new_link(legal_client)
    token = path.removeprefix("/calendar/").removesuffix(".ics")
    rows = database.execute_sql("SELECT * FROM calendar_feed").fetchall()
    assert token not in repr(rows)
    legal_client.get(path)
    assert CalendarFeed.get().last_used_at is not None


def test_the_account_page_offers_the_feed(dates, legal_client):
    assert "/account/calendar" in legal_client.get("/account").get_data(as_text=True)
    page = legal_client.get("/account/calendar").get_data(as_text=True)
    assert "You have no feed link." in page
    _new_link(legal_client)
    page = legal_client.get("/account/calendar").get_data(as_text=True)
    assert "Revoke the link" in page and "calendar-link" not in page


def test_guessing_feed_tokens_is_rate_limited(app, tmp_path, database_url):
    from registry import create_app
    from registry.calendar.views import FEED_LIMIT
    from tests.conftest import base_config

    limited = create_app({**base_config(tmp_path, database_url), "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": "memory://"})
    client = limited.test_client()
    per_minute = int(FEED_LIMIT.split(" ")[0])
    with limited.app_context():
        statuses = [client.get(f"/calendar/guess-{number}.ics").status_code
                    for number in range(per_minute + 1)]
        database.connect(reuse_if_open=True)
    assert statuses[:per_minute] == [404] * per_minute
    assert statuses[per_minute] == 429


def test_a_date_that_moves_keeps_its_uid(dates, legal_client):
    from registry.models import Dpa

    path = _new_link(legal_client)
    uid = f"dpa-{dates.aurora_dpa.id}-expiry"
    assert _day(_by_uid(_events(legal_client, path)[1])[uid]) == EXPIRES_ON
    Dpa.update(expires_on=date(2027, 9, 30)).where(Dpa.id == dates.aurora_dpa.id).execute()
    events = _by_uid(_events(legal_client, path)[1])
    assert _day(events[uid]) == date(2027, 9, 30)
    assert sum(1 for key in events if key.startswith(f"dpa-{dates.aurora_dpa.id}-")) == 2
