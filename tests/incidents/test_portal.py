"""A subcontractor reports a breach in its portal: the report starts the processor's clock.

Companies see their own reports only: never another company's, never one legal staff recorded
about them, never the controllers concerned.
"""

from datetime import UTC, datetime, timedelta

import pytest

from registry import checks, seed
from registry.models import AuditEvent, Incident, IncidentNotice
from tests.auth_helpers import csrf_token, login
from tests.factories import make_user
from tests.incidents.factories import make_incident
from tests.portal.factories import make_tenant
from tests.portal.snapshot import fingerprint
from tests.registry_factories import make_controller, make_dpa, make_engagement

NOW = datetime(2026, 11, 25, 10, 30)  # the clock fixture: 12:30 in Helsinki


def report_fields(**overrides):
    """Return a complete breach report as the portal form posts it."""
    values = {"title": "Backup bucket was public", "subcontractor_aware_at": "2026-11-25 08:00",
              "nature": "An object-storage bucket with order backups was readable by anyone.",
              "data_subject_categories": "Customers", "data_subject_count": "2000",
              "record_categories": "Names, addresses", "record_count": "2400",
              "likely_consequences": "Spam and phishing", "measures": "Bucket closed",
              "contact_point": "Security desk, +358 40 000 0000, security@alpha.example"}
    values.update(overrides)
    return values


@pytest.fixture
def tenants(app, clock):
    """Alpha (24 h promise) processes Aurora's data; Bravo processes Borealis's."""
    seed.ensure_reference_data()
    alpha, bravo = make_tenant("Alpha"), make_tenant("Bravo")
    alpha.subcontractor.breach_notice_hours = 24
    alpha.subcontractor.save()
    aurora = make_dpa(make_controller(name="Aurora Kauppa Oy"), breach_notice_hours=48).controller
    borealis = make_dpa(make_controller(name="Borealis Oy")).controller
    make_engagement(alpha.subcontractor, aurora)
    make_engagement(bravo.subcontractor, borealis)
    return alpha, bravo, aurora, borealis


def _report(client, **fields):
    page = client.get("/portal/incidents/new")
    assert page.status_code == 200
    data = dict(report_fields(**fields), csrf_token=csrf_token(page.get_data(as_text=True)))
    return client.post("/portal/incidents/new", data=data)


def test_a_report_starts_the_clock_for_every_controller_whose_data_it_processes(
        client, tenants, smtp_server, queue):
    alpha, _bravo, aurora, _borealis = tenants
    make_user("legal", email="legal@processor.example")
    login(client, alpha.user)
    response = _report(client)
    assert response.status_code == 302
    incident = Incident.get()
    assert (incident.detected_by, incident.subcontractor_id) == ("subcontractor",
                                                                 alpha.subcontractor.id)
    assert incident.aware_at == NOW  # the processor is aware when the report arrives
    assert incident.subcontractor_aware_at == datetime(2026, 11, 25, 6, 0)
    [notice] = IncidentNotice.select()
    assert notice.controller_id == aurora.id
    assert notice.due_at == NOW + timedelta(hours=48)
    assert AuditEvent.get(AuditEvent.action == "incident.reported").actor_id == alpha.user.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thank you: your report INC-2026-001 reached us at 2026-11-25 12:30 EET" in page
    assert "Aurora" not in page  # the company never sees the controllers
    assert smtp_server.messages == []
    queue.work()
    [(envelope, message, _auth)] = smtp_server.messages
    assert envelope == ["legal@processor.example"]
    assert message["Subject"].strip() == ("[dpa-registry] Alpha reported a personal data "
                                          "breach: INC-2026-001")
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Aurora Kauppa Oy: 2026-11-27 12:30 EET" in body
    assert "http://registry.test/incidents/" in body
    findings = checks.current_assessment().findings
    assert [f.code for f in findings if f.area == "incidents"] == ["incident_notice_due"]


def test_a_report_later_than_the_promise_is_red_against_the_subcontractor(client, tenants):
    alpha, *_ = tenants
    login(client, alpha.user)
    _report(client, subcontractor_aware_at="2026-11-23 12:00")  # 48.5 h before the report
    late = [f for f in checks.current_assessment().findings
            if f.code == "incident_subcontractor_late"]
    assert [(f.subcontractor_id, f.severity.value) for f in late] == [
        (alpha.subcontractor.id, "red")]
    assert "49 h after becoming aware" in late[0].message


def test_the_report_form_explains_what_is_missing(client, tenants):
    alpha, *_ = tenants
    login(client, alpha.user)
    response = _report(client, subcontractor_aware_at="2026-11-26 08:00", nature="",
                       contact_point="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The time you became aware cannot be in the future." in page
    assert "Describe what happened." in page and "Say who we can contact" in page
    assert Incident.select().count() == 0


def test_companies_see_only_their_own_reports(client, tenants):
    alpha, bravo, aurora, borealis = tenants
    own = make_incident([aurora], detected_by="subcontractor", subcontractor=alpha.subcontractor,
                        subcontractor_aware_at=NOW - timedelta(hours=2), title="Alpha own report")
    other = make_incident([borealis], detected_by="subcontractor",
                          subcontractor=bravo.subcontractor,
                          subcontractor_aware_at=NOW - timedelta(hours=2), title="Bravo report")
    about_alpha = make_incident([aurora], subcontractor=alpha.subcontractor,
                                affected_scope="subcontractor", title="Staff record")
    login(client, alpha.user)
    listing = client.get("/portal/incidents").get_data(as_text=True)
    assert "Alpha own report" in listing
    assert "Bravo report" not in listing and "Staff record" not in listing
    before = fingerprint()
    for incident_id in range(0, max(own.id, other.id, about_alpha.id) + 3):
        response = client.get(f"/portal/incidents/{incident_id}")
        assert response.status_code == (200 if incident_id == own.id else 404), incident_id
    assert "Aurora" not in client.get(f"/portal/incidents/{own.id}").get_data(as_text=True)
    forged = client.get(f"/portal/incidents/{own.id}?subcontractor={bravo.subcontractor.id}")
    assert forged.status_code == 403
    assert client.get("/incidents").status_code == 403
    assert client.get(f"/incidents/{own.id}").status_code == 403
    assert fingerprint() == before


def test_a_forged_company_field_in_a_report_is_refused(client, tenants):
    alpha, bravo, *_ = tenants
    login(client, alpha.user)
    response = _report(client, subcontractor_id=str(bravo.subcontractor.id))
    assert response.status_code == 403
    assert Incident.select().count() == 0


def test_a_company_processing_nobody_s_data_can_still_report(client, app, clock):
    seed.ensure_reference_data()
    lone = make_tenant("Lone")
    login(client, lone.user)
    assert _report(client).status_code == 302
    assert Incident.select().count() == 1 and IncidentNotice.select().count() == 0
    assert "Report a personal-data breach" in client.get("/portal/").get_data(as_text=True)


def test_the_empty_list_invites_a_report(client, tenants):
    alpha, *_ = tenants
    login(client, alpha.user)
    page = client.get("/portal/incidents").get_data(as_text=True)
    assert "You have reported no breach" in page


@pytest.fixture(autouse=True)
def _utc_now_is_fixed(clock):
    assert clock.moment == NOW.replace(tzinfo=UTC)
