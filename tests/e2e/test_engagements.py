"""Browser tests of the vendor pages: engage a subcontractor, notify, see the objection deadline;
and a tour of every subcontractor, engagement and review page on the demo data (screenshots)."""

from datetime import timedelta
from pathlib import Path

import pytest

from registry.checks import current_snapshot
from registry.clock import local_today
from registry.demo import import_demo
from registry.mail.delivery import deliver_due
from registry.models import Attestation, Engagement, Subcontractor
from tests.e2e.conftest import TABLET, screenshot, sign_in
from tests.factories import make_user
from tests.registry_factories import make_controller, make_dpa, make_requirement

pytestmark = pytest.mark.e2e


def test_legal_user_engages_a_subcontractor_and_sees_the_objection_deadline(live_server, page):
    make_requirement(key="low_questionnaire", tier="low")
    controller = make_controller(name="Verkkokauppa Oy",
                                 privacy_contacts=["privacy@verkkokauppa.example"])
    make_dpa(controller, objection_period_days=30)
    sign_in(page, live_server, make_user("legal"))

    page.goto(live_server.at("/subcontractors"))
    page.get_by_role("link", name="Add a subcontractor").first.click()
    page.get_by_label("Name", exact=True).fill("Postitus Pilvi Oy")
    page.get_by_label("Business ID").fill("1572860-0")
    page.get_by_label("Purpose and service").fill("Sends order confirmation e-mails")
    page.get_by_label("Processing locations").fill("FI, SE")
    page.get_by_label("Risk tier").select_option("low")
    page.get_by_label("Contact e-mail addresses").fill("security@postitus.example")
    screenshot(page, "vendors-new-subcontractor")
    page.get_by_role("button", name="Add the subcontractor").click()
    page.get_by_text("Postitus Pilvi Oy was added").wait_for()

    page.get_by_role("link", name="Engage for controllers").first.click()
    page.get_by_label("Verkkokauppa Oy", exact=True).check()
    screenshot(page, "vendors-engage")
    page.get_by_role("button", name="Engage").click()
    page.get_by_text("Next: notify the controllers").wait_for()
    page.get_by_text("Notify the controllers", exact=True).click()
    screenshot(page, "vendors-notify-confirm")
    page.get_by_role("button", name="Send the notices").click()
    # A new subcontractor has no flow-down agreement yet: the gap is shown before anything goes.
    page.get_by_role("button", name="Send the notice anyway").click()
    page.get_by_text("Notified 1 controller about Postitus Pilvi Oy").wait_for()
    deliver_due()  # the mail outbox, as `serve`'s thread or the worker would

    page.get_by_role("link", name="Open the engagement for Verkkokauppa Oy").click()
    deadline = (local_today() + timedelta(days=30)).isoformat()
    page.get_by_text("may object until").wait_for()
    assert deadline in page.content()
    assert page.get_by_text("Notified", exact=True).first.is_visible()
    screenshot(page, "vendors-engagement-notified")
    engagement = Engagement.get()
    assert engagement.notified_on == local_today()
    assert engagement.notice_recipients == ["privacy@verkkokauppa.example"]
    assert list(Path(live_server.app.config["OUTBOX_DIR"]).glob("*.eml"))


def test_tour_of_the_vendor_pages_on_the_demo_data(live_server, page):
    import_demo(local_today())
    sign_in(page, live_server, make_user("legal"))
    assessment = current_snapshot().assessment
    worst = max(Subcontractor.select().where(Subcontractor.status == "active"),
                key=lambda row: len(assessment.findings_for_subcontractor(row.id)))
    engagement = Engagement.select().order_by(Engagement.id).first()
    pending = Attestation.select().where(Attestation.review == "pending").first()
    pages = {
        "vendors-list": "/subcontractors",
        "vendors-list-red": "/subcontractors?worst=red&sort=worst",
        "vendors-detail": f"/subcontractors/{worst.id}",
        "vendors-edit": f"/subcontractors/{worst.id}/edit",
        "vendors-flow-down": f"/subcontractors/{worst.id}/flow-down/new",
        "vendors-choose-type": f"/subcontractors/{worst.id}/attestations/new",
        "vendors-upload": f"/subcontractors/{worst.id}/attestations/new?type=iso27001",
        "vendors-engagements": "/engagements",
        "vendors-engagement": f"/engagements/{engagement.id}",
        "vendors-review": "/review",
    }
    for name, path in pages.items():
        response = page.goto(live_server.at(path))
        assert response.status == 200, path
        screenshot(page, name)
    page.goto(live_server.at(f"/subcontractors/{worst.id}"))
    screenshot(page, "vendors-detail-tablet", TABLET)
    page.goto(live_server.at("/subcontractors"))
    screenshot(page, "vendors-list-tablet", TABLET)
    page.goto(live_server.at(f"/subcontractors/{worst.id}/edit"))
    page.get_by_label("Business ID").fill("1234567-8")
    page.get_by_label("Processing locations").fill("FI, XX")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("This is not a valid Y-tunnus").wait_for()
    screenshot(page, "vendors-edit-errors")
    if pending is not None:
        page.goto(live_server.at("/review"))
        page.get_by_text("Reject…").first.click()
        page.get_by_role("button", name="Reject and tell the subcontractor").first.click()
        page.get_by_text("the subcontractor will read it").first.wait_for()
        screenshot(page, "vendors-review-reject-error")


def test_auditor_finds_no_edit_button_on_the_vendor_pages(live_server, page):
    import_demo(local_today())
    sign_in(page, live_server, make_user("auditor"))
    subcontractor = Subcontractor.select().order_by(Subcontractor.id).first()
    engagement = Engagement.select().order_by(Engagement.id).first()
    for path in (f"/subcontractors/{subcontractor.id}", f"/engagements/{engagement.id}",
                 "/review", "/subcontractors"):
        page.goto(live_server.at(path))
        for label in ("Edit details", "Offboard", "Add a subcontractor", "Engage for controllers",
                      "Accept", "Withdraw", "Record an objection"):
            assert page.get_by_role("button", name=label).count() == 0, (path, label)
            assert page.get_by_role("link", name=label).count() == 0, (path, label)
    screenshot(page, "vendors-list-auditor")


def test_untouched_approval_form_asks_for_the_pdf_or_a_confirmation(live_server, page):
    from tests.registry_factories import make_engagement, make_subcontractor

    controller = make_controller(name="Verkkokauppa Oy")
    make_dpa(controller, subprocessor_authorisation="specific")
    engagement = make_engagement(make_subcontractor(name="Postitus Pilvi Oy"), controller,
                                 on_list_at_signing=False, notified_on=local_today())
    sign_in(page, live_server, make_user("legal"))
    page.goto(live_server.at(f"/engagements/{engagement.id}"))
    page.get_by_text("Record a written approval").click()
    page.get_by_role("button", name="Record the approval").click()
    page.get_by_text("Attach the written approval as a PDF, or confirm").wait_for()
    screenshot(page, "vendors-approval-errors")
    page.get_by_label("No PDF: I have the controller's written approval").check()
    page.get_by_label("Reference").fill("E-mail from the DPO, ticket 4411")
    page.get_by_role("button", name="Record the approval").click()
    page.get_by_text("The written approval was recorded.").wait_for()
    assert Engagement.get_by_id(engagement.id).approved_on == local_today()
