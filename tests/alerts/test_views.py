"""The Alerts page: who may see it, what it lists, the status filter and pagination."""

from datetime import timedelta

import pytest

from registry.clock import local_today
from registry.models import Alert, utcnow
from tests.auth_helpers import login
from tests.factories import make_user
from tests.registry_factories import make_subcontractor


def _alert(number, status="sent", audience="legal", **values):
    defaults = {"key": f"legal|dpa:{number}|expiry|2027-01-24|30", "audience": audience,
                "subject_type": "dpa", "subject_id": number, "kind": "expiry", "threshold": 30,
                "status": status, "recipients": ["legal@processor.example"],
                "subject_line": f"Compliance alerts for 2026-11-{number % 28 + 1:02d}: 1 amber",
                "details": '{"message": "DPA v1 with Kauppa Oy expires on 2027-01-24", '
                           '"severity": "amber"}',
                "next_attempt_at": utcnow(), "sent_at": utcnow() if status == "sent" else None}
    defaults.update(values)
    return Alert.create(**defaults)


@pytest.mark.parametrize("role", ["legal", "admin", "auditor"])
def test_readers_see_sent_pending_and_failed_alerts(app, client, role):
    supplier = make_subcontractor(name="Pilvi Oy")
    _alert(1)
    _alert(2, status="pending", attempts=1, last_error="127.0.0.1:25 answered 451 Try later")
    _alert(3, status="failed", audience=f"subcontractor:{supplier.id}",
           recipients=["gone@pilvi.example"], last_error="refused gone@pilvi.example (550)")
    login(client, make_user(role))
    page = client.get("/alerts/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for text in ("Sent", "Pending", "Failed", "legal@processor.example", "gone@pilvi.example",
                 "Compliance alerts for 2026-11-02: 1 amber", "Pilvi Oy", "Legal staff",
                 "answered 451 Try later", "refused gone@pilvi.example (550)",
                 "DPA v1 with Kauppa Oy expires on 2027-01-24"):
        assert text in html


def test_the_status_filter_and_pagination(app, client):
    for number in range(55):
        _alert(number)
    _alert(100, status="failed", last_error="answered 550 No")
    login(client, make_user("legal"))
    failed = client.get("/alerts/?status=failed").get_data(as_text=True)
    assert "answered 550 No" in failed and failed.count("badge--green") == 0
    first = client.get("/alerts/").get_data(as_text=True)
    assert "Page 1 of 2" in first
    second = client.get("/alerts/?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second
    beyond = client.get("/alerts/?page=99")
    assert beyond.status_code == 200 and "Page 2 of 2" in beyond.get_data(as_text=True)
    # Larger than any database integer: still the last page, not a server error.
    huge = client.get("/alerts/?page=99999999999999999999")
    assert huge.status_code == 200 and "Page 2 of 2" in huge.get_data(as_text=True)
    assert "Page 1 of 2" in client.get("/alerts/?page=-3").get_data(as_text=True)


def test_empty_states(app, client):
    login(client, make_user("auditor"))
    assert "No alerts yet." in client.get("/alerts/").get_data(as_text=True)
    assert "No failed alerts." in client.get("/alerts/?status=failed").get_data(as_text=True)


def test_subcontractor_users_and_strangers_are_refused(app, client):
    _alert(1)
    assert client.get("/alerts/").status_code == 302  # to the sign-in page
    login(client, make_user("subcontractor"))
    response = client.get("/alerts/")
    assert response.status_code == 403
    assert "legal@processor.example" not in response.get_data(as_text=True)


def test_the_navigation_offers_alerts_to_readers_only(app, client):
    login(client, make_user("auditor"))
    assert 'href="/alerts/"' in client.get("/alerts/").get_data(as_text=True)


def test_a_zero_day_alert_says_whether_the_item_lapses_today_or_had_lapsed(app, client):
    today = local_today()
    _alert(1, threshold=0, due_on=today)
    _alert(2, threshold=0, due_on=today - timedelta(days=15),
           details='{"message": "ISO/IEC 27001 certificate of Varmuuskopio Oy expired", '
                   '"severity": "red"}')
    login(client, make_user("legal"))
    html = client.get("/alerts/").get_data(as_text=True)
    assert ">Lapses today<" in html and ">Lapsed<" in html and "Last day" not in html
