"""Legal staff see each item, attach its certificate and mark it completed; auditors only read."""

import io
from datetime import date

from registry import checks
from registry.models import AuditEvent, ReturnOrDeletion
from tests.controllers.helpers import pdf_file, signed_in, submit, text
from tests.return_or_deletion.conftest import DUE_ON


def _codes(key_part):
    return sorted(finding.code for finding in checks.current_snapshot().assessment.findings
                  if finding.code.startswith("return_or_deletion_")
                  and (key_part is None or finding.subcontractor_id == key_part))


def test_the_list_shows_each_open_item_with_its_due_day(client, ended):
    signed_in(client)
    page = text(client.get("/return-or-deletion"))
    assert page.count("Aurora Kauppa Oy") >= 2
    assert "Us (the processor)" in page and "Alpha" in page
    assert "The contract ended on <time datetime=\"2026-11-10\">" in page
    assert "<time datetime=\"2026-12-10\">" in page
    assert "Borealis Oy</a>" not in page


def test_filters_narrow_the_list_and_say_when_nothing_matches(client, ended):
    signed_in(client, "auditor")
    page = text(client.get(f"/return-or-deletion?subcontractor={ended.alpha.subcontractor.id}"))
    assert "Alpha" in page and "Us (the processor)" not in page
    done = text(client.get("/return-or-deletion?state=done"))
    assert "No item matches these filters." in done


def test_an_empty_registry_says_what_the_list_is_for(client, app, clock):
    signed_in(client)
    assert "Nothing to return or delete." in text(client.get("/return-or-deletion"))


def test_certificate_then_completion_closes_the_item(client, ended):
    signed_in(client)
    url = f"/return-or-deletion/{ended.alpha_key}"
    assert "No certificate yet." in text(client.get(url))
    response = submit(client, f"{url}/certificate", {"certificate": pdf_file("deleted")}, url)
    assert response.status_code == 302
    row = ReturnOrDeletion.get(ReturnOrDeletion.item_key == ended.alpha_key)
    assert (row.certificate_on, row.completed_on, row.subcontractor_id) == (
        date(2026, 11, 25), None, ended.alpha.subcontractor.id)
    assert _codes(ended.alpha.subcontractor.id) == ["return_or_deletion_due"]
    response = submit(client, f"{url}/complete", {"completed_on": "2026-11-20"}, url)
    assert response.status_code == 302
    assert ReturnOrDeletion.get_by_id(row.id).completed_on == date(2026, 11, 20)
    assert _codes(ended.alpha.subcontractor.id) == []
    assert [(event.action, event.object_type, event.object_id)
            for event in AuditEvent.select().order_by(AuditEvent.id)
            if event.action.startswith("return_or_deletion.")] == [
        ("return_or_deletion.certificate_uploaded", "return_or_deletion", ended.alpha_key),
        ("return_or_deletion.completed", "return_or_deletion", ended.alpha_key)]
    trail = text(client.get("/audit"))
    assert f'href="/return-or-deletion/{ended.alpha_key}"' in trail
    page = text(client.get(url))
    assert "Completed on <time datetime=\"2026-11-20\">" in page
    assert "Upload the certificate" not in page


def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_field(client, ended):
    signed_in(client)
    url = f"/return-or-deletion/{ended.processor_key}"
    response = submit(client, f"{url}/certificate",
                      {"certificate": (io.BytesIO(b"hello"), "note.pdf")}, url)
    assert response.status_code == 422
    assert "field__error" in text(response)
    assert not ReturnOrDeletion.select().exists()


def test_completion_needs_the_certificate_and_a_day_after_the_end(client, ended):
    signed_in(client)
    url = f"/return-or-deletion/{ended.processor_key}"
    refused = submit(client, f"{url}/complete", {"completed_on": "2026-11-20"}, url)
    assert refused.status_code == 422
    assert "Upload the certificate of return or deletion first." in text(refused)
    submit(client, f"{url}/certificate", {"certificate": pdf_file("ours")}, url)
    early = submit(client, f"{url}/complete", {"completed_on": "2026-11-01"}, url)
    assert "cannot be before the end it follows (2026-11-10)" in text(early)
    future = submit(client, f"{url}/complete", {"completed_on": "2026-11-26"}, url)
    assert "cannot be in the future" in text(future)
    assert ReturnOrDeletion.get().completed_on is None


def test_an_overdue_item_is_red_on_the_dashboard(client, ended, clock):
    clock.move_to(clock.moment.replace(month=12, day=11))
    signed_in(client)
    assert _codes(None) == ["return_or_deletion_overdue", "return_or_deletion_overdue"]
    page = text(client.get("/dashboard"))
    assert "Return or deletion at the end" in page
    assert "We had to delete Aurora Kauppa Oy&#39;s data by 2026-12-10" in page


def test_unknown_and_malformed_keys_are_not_found(client, ended):
    signed_in(client)
    assert client.get("/return-or-deletion/controller-999999").status_code == 404
    assert client.get("/return-or-deletion/drop-table").status_code == 404


def test_auditors_read_but_cannot_attach(client, ended):
    signed_in(client, "auditor")
    url = f"/return-or-deletion/{ended.processor_key}"
    page = text(client.get(url))
    assert "Upload the certificate" not in page and str(DUE_ON) in page


def test_the_controller_and_subcontractor_pages_list_their_items(client, ended):
    signed_in(client, "auditor")
    controller = text(client.get(f"/controllers/{ended.controller.id}"))
    assert f"/return-or-deletion/{ended.alpha_key}" in controller
    assert f"/return-or-deletion/{ended.processor_key}" in controller
    alpha = text(client.get(f"/subcontractors/{ended.alpha.subcontractor.id}"))
    assert f"/return-or-deletion/{ended.alpha_key}" in alpha
    assert ended.processor_key + '"' not in alpha
    bravo = text(client.get(f"/subcontractors/{ended.bravo.subcontractor.id}"))
    assert "/return-or-deletion/" not in bravo


def test_the_dashboard_lists_the_deadlines(client, ended):
    signed_in(client)
    page = text(client.get("/dashboard"))
    assert "Return or deletion due" in page
    assert "Deletion of Aurora Kauppa Oy's data by Alpha" in page


def test_a_dpa_term_sets_the_due_day(client, app, clock):
    from tests.registry_factories import make_controller, make_dpa

    signed_in(client)
    dpa = make_dpa(make_controller(name="Cirrus Oy"), status="terminated",
                   terminated_on=date(2026, 11, 1), return_or_deletion_days=14)
    assert "Within 14 days of the end" in text(client.get(f"/dpas/{dpa.id}"))
    assert '<time datetime="2026-11-15">' in text(client.get("/return-or-deletion"))


def test_offboarding_a_subcontractor_makes_its_item(client, ended):
    from registry.subcontractors.operations import offboard_subcontractor

    user = signed_in(client)
    offboard_subcontractor(ended.bravo.subcontractor, date(2026, 11, 20), user)
    key = f"engagement-{ended.bravo.subcontractor.engagements[0].id}"
    page = text(client.get(f"/return-or-deletion/{key}"))
    assert "The subcontractor was offboarded on" in page and "Borealis Oy" in page
    assert '<time datetime="2026-12-20">' in page
