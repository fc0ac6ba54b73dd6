"""Tier requirements: groups per tier and for card data; add, edit, retire (never delete)."""

import pytest

from registry.clock import local_today
from registry.models import Requirement, RequirementOption
from registry.queries import load_requirement_groups
from tests.reference.helpers import (
    audit_details,
    checked_values,
    group,
    kind,
    seeded,
    signed_in,
    submit,
    text,
)
from tests.registry_factories import make_subcontractor

LIST = "/reference/requirements"
NEW = "/admin/reference/requirements/new"


def edit_url(key):
    return f"/admin/reference/requirements/{group(key).id}/edit"


def retire_url(key):
    return f"/admin/reference/requirements/{group(key).id}/retire"


def option_codes(key):
    return sorted(option.attestation_type.code
                  for option in RequirementOption.select().where(
                      RequirementOption.requirement == group(key)))


def _section(page, title):
    start = page.index(f">{title}</h3>")
    return page[start:page.index("</section>", start)]


@pytest.mark.parametrize("role", ["admin", "legal", "auditor"])
def test_staff_read_the_groups_of_each_tier(app, client, role):
    seeded()
    signed_in(client, role)
    page = text(client.get(LIST))
    assert "Security questionnaire" in _section(page, "Low risk")
    high = _section(page, "High risk")
    assert "Penetration test report" in high and "SOC 2 Type II report" in high
    assert "PCI DSS Attestation of Compliance" in _section(page, "Card data")
    assert ("Add a group" in page) is (role == "admin")
    assert (edit_url("high_pentest") in page) is (role == "admin")


def test_a_tier_without_groups_has_an_empty_state(app, client):
    signed_in(client, "admin")
    page = text(client.get(LIST))
    assert "Nothing is required here." in _section(page, "Medium risk")
    assert 'href="/admin/reference/requirements/new?for=medium"' in page
    preset = text(client.get(f"{NEW}?for=medium"))
    assert checked_values(preset, "applies_to") == ["medium"]
    assert checked_values(text(client.get(f"{NEW}?for=nonsense")), "applies_to") == []


def test_admin_adds_a_group_for_card_data(app, client):
    seeded()
    signed_in(client, "admin")
    types = [kind("pci_dss_aoc").id, kind("pentest_report").id]
    response = submit(client, NEW, {"key": "card_data_scan", "label": "Card data scans",
                                    "applies_to": "card_data", "type_ids": types})
    assert response.status_code == 302
    assert "Card data scans is now required (Card data)." in text(client.get(LIST))
    added = group("card_data_scan")
    assert added.tier is None and added.applies_to_card_data
    assert option_codes("card_data_scan") == ["pci_dss_aoc", "pentest_report"]
    details = audit_details("requirement.created")
    assert details["after"]["type_codes"] == ["pci_dss_aoc", "pentest_report"]
    assert details["after"]["key"] == "card_data_scan"


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"key": "High Pentest"}, "key", "lowercase letters, digits and single underscores"),
    ({"key": "high_pentest"}, "key", "The key high_pentest is taken"),
    ({"label": ""}, "label", "Enter a label."),
    ({"type_ids": []}, "type-ids", "Choose at least one acceptable type."),
    ({"type_ids": ["soc2_type1"]}, "type-ids", "SOC 2 Type I report does not count"),
])
def test_invalid_groups_are_explained_next_to_the_field(app, client, change, field, message):
    seeded()
    signed_in(client, "admin")
    values = {"key": "medium_extra", "label": "Extra", "applies_to": "medium",
              "type_ids": [kind("iso27001").id]}
    values.update(change)
    values["type_ids"] = [kind(code).id if isinstance(code, str) else code
                          for code in values["type_ids"]]
    response = submit(client, NEW, values)
    page = text(response)
    assert response.status_code == 400
    error = page[page.index(f'id="{field}-error"'):]
    assert message in error[:300]
    assert Requirement.get_or_none(Requirement.key == "medium_extra") is None


def test_a_group_needs_to_know_whom_it_applies_to(app, client):
    seeded()
    signed_in(client, "admin")
    response = submit(client, NEW, {"key": "extra", "label": "Extra",
                                    "type_ids": [kind("iso27001").id]})
    assert response.status_code == 400
    assert "Choose whom the group applies to." in text(response)


def test_admin_edits_the_label_and_acceptable_types(app, client):
    seeded()
    signed_in(client, "admin")
    url = edit_url("medium_security_certification")
    response = submit(client, url, {"label": "ISO 27001 or SOC 2",
                                    "type_ids": [kind("iso27001").id, kind("soc2_type2").id]})
    assert response.status_code == 302
    assert group("medium_security_certification").label == "ISO 27001 or SOC 2"
    assert option_codes("medium_security_certification") == ["iso27001", "soc2_type2"]
    details = audit_details("requirement.updated")
    assert details["before"] == {"label": "Security certification or Type II report",
                                 "type_codes": ["isae3402_type2", "iso27001", "soc2_type2"]}
    assert details["after"] == {"label": "ISO 27001 or SOC 2",
                                "type_codes": ["iso27001", "soc2_type2"]}


def test_the_edit_form_ticks_the_current_types(app, client):
    seeded()
    signed_in(client, "admin")
    form = text(client.get(edit_url("medium_security_certification")))
    expected = sorted(str(kind(code).id) for code in ("iso27001", "soc2_type2", "isae3402_type2"))
    assert sorted(checked_values(form, "type_ids")) == expected
    assert form.count('name="type_ids" type="checkbox"') == 10  # every seeded type is offered


def test_retiring_asks_first_then_keeps_the_group_on_record(app, client):
    seeded()
    signed_in(client, "admin")
    form = text(client.get(edit_url("high_pentest")))
    assert "Retire Penetration test report (High risk)? No subcontractor owes it now." in form
    assert f'action="{retire_url("high_pentest")}"' in form
    response = submit(client, retire_url("high_pentest"), {},
                      page_url=edit_url("high_pentest"))
    assert response.status_code == 302
    page = text(client.get(LIST))
    assert "Penetration test report was retired" in page
    assert "Penetration test report" not in _section(page, "High risk")
    assert "Penetration test report" in _section(page, "Retired groups")
    assert group("high_pentest").retired_on == local_today()
    assert option_codes("high_pentest") == ["pentest_report"]
    assert "high_pentest" not in {item.key for item in load_requirement_groups()}
    assert audit_details("requirement.retired")["after"] == {
        "retired_on": local_today().isoformat()}


def test_the_retire_confirmation_counts_the_subcontractors_that_owe_the_group(app, client):
    seeded()
    for tier in ("high", "high", "low"):
        make_subcontractor(risk_tier=tier)
    make_subcontractor(risk_tier="high", status="offboarded")
    signed_in(client, "admin")
    form = text(client.get(edit_url("high_pentest")))
    assert "2 subcontractors owe it now; from today they will not." in form
    page = text(client.get(LIST))
    assert "2 subcontractors" in _section(page, "High risk")
    assert "1 subcontractor" in _section(page, "Low risk")


def test_a_retired_group_cannot_be_edited_or_retired_again(app, client):
    seeded()
    signed_in(client, "admin")
    url = edit_url("low_questionnaire")
    submit(client, retire_url("low_questionnaire"), {}, page_url=url)
    response = client.get(url)
    assert response.status_code == 302
    assert "a retired group is kept as it was" in text(client.get(LIST))
    response = submit(client, retire_url("low_questionnaire"), {}, page_url=LIST)
    assert response.status_code == 302
    assert Requirement.get_by_id(group("low_questionnaire").id).retired_on == local_today()


def test_an_unknown_group_is_not_found(app, client):
    signed_in(client, "admin")
    assert client.get("/admin/reference/requirements/999/edit").status_code == 404
    response = submit(client, "/admin/reference/requirements/999/retire", {}, page_url=LIST)
    assert response.status_code == 404
