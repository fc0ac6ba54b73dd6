"""Browser test of the incident pages: record a breach affecting two controllers, see each
deadline counting down, notify both, and see the notices delivered once the worker ran."""

import email
import email.policy
from pathlib import Path

import pytest
from huey.storage import SqliteStorage

from registry import tasks
from registry.models import IncidentNotice
from tests.e2e.conftest import screenshot, sign_in
from tests.factories import make_user
from tests.registry_factories import make_controller, make_dpa

pytestmark = pytest.mark.e2e


@pytest.fixture
def queue(tmp_path, monkeypatch):
    """The worker's queue on a private SQLite file; the test runs the worker's part itself."""
    storage = SqliteStorage("dpa-registry", filename=str(tmp_path / "queue" / "huey.sqlite3"),
                            create_tables=False)
    monkeypatch.setattr(tasks.huey, "storage", storage)
    return tasks.huey


def _outbox(live_server):
    folder = Path(live_server.app.config["OUTBOX_DIR"])
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob("*.eml"))] if folder.is_dir() else []


def test_legal_user_records_an_incident_and_notifies_two_controllers(live_server, page, queue):
    aurora = make_dpa(make_controller(name="Aurora Kauppa Oy",
                                      privacy_contacts=["dpo@aurora.example"]),
                      breach_notice_hours=24).controller
    make_dpa(make_controller(name="Borealis Oy", privacy_contacts=["privacy@borealis.example"]),
             breach_notice_hours=None)
    make_controller(name="Cirrus Oy")  # not affected
    sign_in(page, live_server, make_user("legal"))

    page.goto(live_server.at("/incidents"))
    page.get_by_text("No incident is recorded.").wait_for()
    page.get_by_role("link", name="Record an incident").first.click()
    page.get_by_label("Short title").fill("Order export e-mailed to the wrong customer")
    page.get_by_label("When did you become aware of it?").fill(_an_hour_ago(live_server))
    page.get_by_label("What happened").fill("A CSV export of 120 orders was sent to another "
                                            "shop's customer.")
    page.get_by_label("Categories of data subjects").fill("Web-shop customers")
    page.get_by_label("Approximate number of data subjects").fill("120")
    page.get_by_label("Likely consequences").fill("Phishing attempts")
    page.get_by_label("Measures taken or proposed").fill("The recipient deleted the file.")
    page.get_by_label("Contact point").fill("DPO, dpo@processor.example")
    page.get_by_label("Affected controllers").select_option(
        label=["Aurora Kauppa Oy", "Borealis Oy"])
    screenshot(page, "incidents-record")
    page.get_by_role("button", name="Record the incident").click()
    page.get_by_text("is recorded. Notify the controllers").wait_for()
    assert page.get_by_text("23 h left").count() == 2  # 24 h (DPA) and 24 h (default)
    assert page.get_by_text("its DPA: 24 h").is_visible()
    assert page.get_by_text("without undue delay, Art. 33(2)").first.is_visible()
    assert "Cirrus Oy" not in page.locator("#notices").inner_text()
    screenshot(page, "incidents-recorded")

    page.get_by_text("Notify every controller not notified yet").click()
    page.get_by_role("button", name="Send the notices").click()
    page.get_by_text("The notice to 2 controllers is on its way").wait_for()
    assert page.get_by_text("being sent to dpo@aurora.example").is_visible()
    assert _outbox(live_server) == []  # the page only queued them

    while queue.pending_count():
        queue.execute(queue.dequeue())  # what the worker does
    page.reload()
    notices = page.locator("#notices")
    assert notices.get_by_text("First notice: sent").count() == 2
    assert "Due" not in notices.inner_text() and "Close the incident" in notices.inner_text()
    screenshot(page, "incidents-notified")
    mails = _outbox(live_server)
    assert sorted(str(mail["To"]) for mail in mails) == ["dpo@aurora.example",
                                                        "privacy@borealis.example"]
    assert all("Order export e-mailed to the wrong customer" in mail.get_body(
        preferencelist=("plain",)).get_content() for mail in mails)
    assert IncidentNotice.select().where(IncidentNotice.notified_at.is_null()).count() == 0

    page.goto(live_server.at(f"/incidents?controller={aurora.id}"))
    page.get_by_role("link", name="Download the register (PDF)").wait_for()
    screenshot(page, "incidents-register")


def _an_hour_ago(live_server):
    """Return the time an hour ago as the form takes it, in the registry's time zone."""
    from datetime import timedelta

    from registry.clock import local_now

    with live_server.app.app_context():
        return (local_now() - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
