"""A company sees only its own items in the portal and sends the certificate there."""

import io
from datetime import date

from registry.models import AuditEvent, Requirement, ReturnOrDeletion
from tests.auth_helpers import login
from tests.controllers.helpers import pdf_file, submit, text
from tests.portal.factories import make_tenant
from tests.registry_factories import make_engagement


def test_the_company_sees_its_own_item_and_is_told_on_its_home_page(client, ended):
    login(client, ended.alpha.user)
    home = text(client.get("/portal/"))
    assert "1 request waits for your certificate" in home
    assert "Everything is in order" not in home
    page = text(client.get("/portal/return-or-deletion"))
    assert "Aurora Kauppa Oy" in page and "Borealis Oy" not in page
    item = text(client.get(f"/portal/return-or-deletion/{ended.alpha_key}"))
    assert "Delete the data" in item and "The contract ended on" in item



def test_a_company_of_whom_no_evidence_is_due_is_asked_first_for_the_certificate(client, ended):
    Requirement.update(retired_on=date(2026, 1, 1)).execute()  # no evidence asked of anyone
    charlie = make_tenant("Charlie", tier="low")
    make_engagement(charlie.subcontractor, ended.controller, proposed_on=date(2026, 1, 1))
    login(client, charlie.user)
    home = text(client.get("/portal/"))
    heading = home[home.index("<h1"):home.index("</h1>")]
    assert "A contract has ended: we need your certificate" in heading

def test_the_company_uploads_its_certificate_and_legal_staff_see_it(client, ended):
    login(client, ended.alpha.user)
    url = f"/portal/return-or-deletion/{ended.alpha_key}"
    response = submit(client, f"{url}/certificate", {"certificate": pdf_file("wiped")}, url)
    assert response.status_code == 302
    row = ReturnOrDeletion.get(ReturnOrDeletion.item_key == ended.alpha_key)
    assert row.certificate.uploaded_by_id == ended.alpha.user.id and row.completed_on is None
    assert AuditEvent.select().where(
        AuditEvent.action == "return_or_deletion.certificate_uploaded").count() == 1
    assert "will confirm it" in text(client.get(url))


def test_another_companys_item_and_ours_are_not_found(client, ended):
    login(client, ended.bravo.user)
    for key in (ended.alpha_key, ended.processor_key):
        assert client.get(f"/portal/return-or-deletion/{key}").status_code == 404
        response = submit(client, f"/portal/return-or-deletion/{key}/certificate",
                          {"certificate": pdf_file()}, "/portal/return-or-deletion")
        assert response.status_code == 404
    assert not ReturnOrDeletion.select().exists()
    assert "Nothing to return or delete" in text(client.get("/portal/return-or-deletion"))


def test_a_refused_file_is_explained_next_to_the_field(client, ended):
    login(client, ended.alpha.user)
    url = f"/portal/return-or-deletion/{ended.alpha_key}"
    response = submit(client, f"{url}/certificate",
                      {"certificate": (io.BytesIO(b"not a pdf"), "x.pdf")}, url)
    assert response.status_code == 422 and "field__error" in text(response)
