"""A company keeps its own reminder addresses: add, refuse bad ones, remove but never the last."""

from registry.models import AuditEvent, Subcontractor
from tests.auth_helpers import post_form


def contacts_of(tenant):
    """Return the company's stored contacts."""
    return Subcontractor.get_by_id(tenant.subcontractor.id).contacts


def add(client, email):
    """Post the add-address form."""
    return post_form(client, "/portal/contacts", {"email": email})


def remove(client, email):
    """Post the remove-address form."""
    return post_form(client, "/portal/contacts/remove", {"email": email},
                     page_url="/portal/contacts")


def test_adding_an_address_is_audited_and_shown(tenant_a):
    client, first, _second = tenant_a
    response = add(client, "  Ops@Alpha.example ")
    assert response.status_code == 302
    assert contacts_of(first) == ["security@alpha.example", "Ops@alpha.example"]
    event = AuditEvent.get(AuditEvent.action == "subcontractor.contact_added")
    assert event.object_id == str(first.subcontractor.id) and event.actor_id == first.user.id
    page = client.get("/portal/contacts").get_data(as_text=True)
    assert "Ops@alpha.example now receives the reminders." in page


def test_bad_and_duplicate_addresses_are_refused_next_to_the_field(tenant_a):
    client, first, _second = tenant_a
    for address, message in [("not-an-address", "This is not an e-mail address"),
                             ("SECURITY@alpha.example", "on the list already"),
                             ("", "Enter an e-mail address")]:
        response = add(client, address)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page[page.index('id="email-error"'):][:300]
    assert contacts_of(first) == ["security@alpha.example"]


def test_removing_needs_one_address_to_stay(tenant_a):
    client, first, _second = tenant_a
    add(client, "ops@alpha.example")
    assert remove(client, "SECURITY@alpha.example").status_code == 302
    assert contacts_of(first) == ["ops@alpha.example"]
    assert remove(client, "ops@alpha.example").status_code == 302
    assert contacts_of(first) == ["ops@alpha.example"]
    page = client.get("/portal/contacts").get_data(as_text=True)
    assert "Keep at least one address" in page
    assert AuditEvent.select().where(
        AuditEvent.action == "subcontractor.contact_removed").count() == 1
