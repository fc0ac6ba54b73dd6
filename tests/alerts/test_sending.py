"""Sending alerts through a real loopback SMTP server: content, once only, failures, retries."""

import json

import pytest
from flask import url_for

from registry.alerts import operations
from registry.alerts.queries import failed_alert_count
from registry.mail import external_links
from registry.models import Alert, AuditEvent
from tests.alerts.factories import make_lapsing_registry

LEGAL = ["admin@processor.example", "legal@processor.example"]
SUBCONTRACTOR = ["security@pilvi.example", "anna@pilvi.example"]


def _dpa_link(app, dpa):
    # The DPA's page when that area is installed, else the dashboard filtered to its controller.
    if "dpas.show_dpa" in app.view_functions:
        with external_links():
            return url_for("dpas.show_dpa", dpa_id=dpa.id)
    return f"http://registry.test/dashboard?controller={dpa.controller_id}"


def _by_recipients(server):
    return {tuple(recipients): message for recipients, message, _auth in server.messages}


def test_first_run_sends_one_digest_and_one_reminder(app, smtp_server, travel):
    rows = make_lapsing_registry()
    travel(2026, 11, 25, 6, 0)
    report = operations.send_alerts()
    assert not report.failed and not report.deferred
    sent = _by_recipients(smtp_server)
    assert set(sent) == {tuple(LEGAL), tuple(SUBCONTRACTOR)}

    digest = sent[tuple(LEGAL)]
    assert digest["Subject"] == "[dpa-registry] Compliance alerts for 2026-11-25: 2 amber"
    assert digest["From"] == app.config["MAIL_FROM"]
    text = digest.get_body(("plain",)).get_content()
    html = digest.get_body(("html",)).get_content()
    for part in (text, html):
        assert "DPA v1 with Kauppa Oy expires on 2027-01-24" in part
        assert "Iso27001 of Pilvi Oy expires on 2027-01-24" in part
        assert "(in 2 months)" in part
        assert _dpa_link(app, rows["dpa"]) in part
    assert "Due soon" in html and "DUE SOON (2)" in text

    reminder = sent[tuple(SUBCONTRACTOR)]
    assert reminder["Subject"] == ("[dpa-registry] Reminder: 1 item of security evidence "
                                  "is needed")
    for part in (reminder.get_body(("plain",)).get_content(),
                 reminder.get_body(("html",)).get_content()):
        assert "http://registry.test/portal/attestations/new?type=iso27001" in part
        assert "Deadline: 2027-01-24" in part
        assert "Kauppa Oy" not in part  # a supplier never learns about the processor's clients
    assert reminder["Message-ID"].startswith("<alert-")


def test_rows_and_audit_events_record_each_send(app, smtp_server, travel):
    make_lapsing_registry()
    travel(2026, 11, 25, 6, 0)
    operations.send_alerts()
    alerts = list(Alert.select().order_by(Alert.key))
    assert {alert.status for alert in alerts} == {"sent"}
    assert len(alerts) == 3  # legal: DPA and attestation; subcontractor: attestation
    legal = [alert for alert in alerts if alert.audience == "legal"]
    assert {alert.message_id for alert in legal} == {_by_recipients(smtp_server)[tuple(LEGAL)]
                                                     ["Message-ID"]}
    assert legal[0].recipients == LEGAL
    assert legal[0].subject_line.startswith("[dpa-registry] Compliance alerts")
    events = list(AuditEvent.select().where(AuditEvent.action == "alert.sent"))
    assert len(events) == 2
    assert all(json.loads(event.details)["recipient_count"] > 0 for event in events)


def test_a_second_run_sends_nothing(app, smtp_server, travel):
    make_lapsing_registry()
    travel(2026, 11, 25, 6, 0)
    operations.send_alerts()
    travel(2026, 11, 25, 9, 0)
    report = operations.send_alerts()
    travel(2026, 11, 26, 6, 0)
    next_day = operations.send_alerts()
    assert (report.sent, next_day.sent) == ([], [])
    assert len(smtp_server.messages) == 2


def test_smtp_down_loses_nothing_and_the_next_run_sends(app, travel):
    from tests.mail.smtpserver import SmtpServer, free_port

    make_lapsing_registry()
    port = free_port()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}?timeout=2"
    travel(2026, 11, 25, 6, 0)
    report = operations.send_alerts()
    assert report.sent == [] and report.failed == [] and len(report.deferred) == 1
    assert {alert.status for alert in Alert.select()} == {"pending"}
    assert Alert.select().where(Alert.claim_token.is_null(False)).count() == 0
    server = SmtpServer(port=port).start()
    try:
        travel(2026, 11, 26, 6, 0)
        operations.send_alerts()
        operations.send_alerts()
    finally:
        server.stop()
    assert len(server.messages) == 2
    assert {alert.status for alert in Alert.select()} == {"sent"}


def test_451_then_250_delivers_each_message_once(app, smtp_server, travel):
    make_lapsing_registry()
    smtp_server.handler.data_replies.append("451 4.7.1 Greylisted, try again later")
    travel(2026, 11, 25, 6, 0)
    first = operations.send_alerts()
    assert len(first.deferred) == 1 and len(first.sent) == 1
    deferred = Alert.select().where(Alert.status == "pending").first()
    assert "451" in deferred.last_error and deferred.attempts == 1
    assert operations.send_alerts().sent == []  # too early: the backoff has not passed
    travel(2026, 11, 25, 6, 15)
    second = operations.send_alerts()
    assert len(second.sent) == 1
    travel(2026, 11, 26, 6, 0)
    assert operations.send_alerts().sent == []
    ids = [message["Message-ID"] for _rcpt, message, _auth in smtp_server.messages]
    assert len(ids) == 2 and len(set(ids)) == 2
    assert {alert.status for alert in Alert.select()} == {"sent"}


def test_550_fails_that_alert_the_rest_go_on_and_it_is_counted(app, smtp_server, travel):
    make_lapsing_registry()
    smtp_server.handler.refuse["security@pilvi.example"] = "550 5.1.1 No such mailbox"
    travel(2026, 11, 25, 6, 0)
    report = operations.send_alerts()
    assert len(report.failed) == 1 and len(report.sent) == 1
    failed = Alert.get(Alert.status == "failed")
    assert failed.audience.startswith("subcontractor:") and "550" in failed.last_error
    assert failed_alert_count() == 1
    assert AuditEvent.select().where(AuditEvent.action == "alert.failed").count() == 1
    travel(2026, 11, 26, 6, 0)
    assert operations.send_alerts().failed == []  # failed alerts are not retried daily


def test_a_550_to_the_message_fails_it(app, smtp_server, travel):
    make_lapsing_registry()
    smtp_server.handler.data_replies.append("550 5.7.1 Message rejected by policy")
    travel(2026, 11, 25, 6, 0)
    report = operations.send_alerts()
    assert len(report.failed) == 1 and len(report.sent) == 1
    assert failed_alert_count() >= 1


def test_an_audience_without_addresses_waits_with_a_clear_reason(app, smtp_server, travel):
    rows = make_lapsing_registry()
    rows["subcontractor"].contacts = []
    rows["subcontractor"].save()
    for user in rows["subcontractor"].users:
        user.is_active = False
        user.save()
    travel(2026, 11, 25, 6, 0)
    report = operations.send_alerts()
    assert report.failed == [] and len(report.deferred) == 1 and len(report.sent) == 1
    waiting = Alert.get(Alert.status == "pending")
    assert "nobody to send it to" in waiting.last_error
    rows["subcontractor"].contacts = ["new-contact@pilvi.example"]
    rows["subcontractor"].save()
    travel(2026, 11, 26, 6, 0)
    assert len(operations.send_alerts().sent) == 1
    assert smtp_server.messages[-1][0] == ["new-contact@pilvi.example"]


def test_a_name_with_cr_lf_cannot_inject_headers(app, smtp_server, travel):
    rows = make_lapsing_registry(subcontractor_name="Pilvi Oy\r\nBcc: victim@evil.example")
    staff = rows["subcontractor"].users.get()
    staff.full_name = "Anna\r\nBcc: victim@evil.example"
    staff.save()
    travel(2026, 11, 25, 6, 0)
    report = operations.send_alerts()
    assert not report.failed and len(report.sent) == 2
    for recipients, message, _auth in smtp_server.messages:
        assert "victim@evil.example" not in recipients
        assert message["Bcc"] is None
        assert set(message.keys()) <= {"From", "To", "Subject", "Date", "Message-ID",
                                       "Auto-Submitted", "Content-Type", "MIME-Version",
                                       "Content-Transfer-Encoding"}
    html = _by_recipients(smtp_server)[tuple(SUBCONTRACTOR)].get_body(("html",)).get_content()
    assert "<br>Bcc" not in html


def test_dry_run_writes_nothing_and_lists_what_would_go(app, travel):
    make_lapsing_registry()
    travel(2026, 11, 25, 6, 0)
    report = operations.send_alerts(dry_run=True)
    assert Alert.select().count() == 0
    audiences = {audience: (recipients, keys) for audience, recipients, keys in report.planned}
    assert audiences["legal"][0] == LEGAL and len(audiences["legal"][1]) == 2
    assert len(audiences) == 2


def test_a_crash_after_the_server_accepted_repeats_only_that_message_with_its_id(
        app, smtp_server, travel, monkeypatch):
    make_lapsing_registry()
    record_sent = operations._record_sent

    def power_cut(*_args):
        raise RuntimeError("power cut before the commit")

    monkeypatch.setattr(operations, "_record_sent", power_cut)
    travel(2026, 11, 25, 6, 0)
    with pytest.raises(RuntimeError):
        operations.send_alerts()
    monkeypatch.setattr(operations, "_record_sent", record_sent)
    [(_rcpt, accepted, _auth)] = smtp_server.messages
    travel(2026, 11, 25, 6, 30)  # another run inside the lease leaves the claimed alerts alone
    assert len(operations.send_alerts().sent) == 1  # the group that never started
    travel(2026, 11, 25, 7, 1)  # the lease has passed: the unrecorded message goes again
    assert len(operations.send_alerts().sent) == 1
    assert operations.send_alerts().sent == []
    ids = [message["Message-ID"] for _r, message, _a in smtp_server.messages]
    assert len(ids) == 3 and ids.count(accepted["Message-ID"]) == 2
    assert {alert.status for alert in Alert.select()} == {"sent"}
