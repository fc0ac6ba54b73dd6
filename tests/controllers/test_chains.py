"""The controller page lists sub-processors of sub-processors under the one that engages them,
with locations and transfer mechanism (GDPR Art. 28(2), (4))."""

from tests.controllers.helpers import signed_in, text
from tests.registry_factories import (
    make_attestation,
    make_dpa,
    make_engagement,
    make_requirement,
    make_subcontractor,
)


def _section(page):
    start = page.index('id="subcontractors"')
    return page[start:page.index("</section>", start)]


def _rows(section):
    return section.split("<tr")[2:]  # after the header row


def test_the_second_tier_is_listed_under_its_parent(app, client):
    make_requirement()
    controller = make_dpa().controller
    parent = make_subcontractor(name="Pilvi Hosting Oy")
    make_attestation(parent)
    make_engagement(parent, controller)
    child = make_subcontractor(name="Backup Cloud LLC", parent=parent, country="US",
                               processing_countries=["US"], transfer_mechanism="bcr")
    make_attestation(child)
    make_engagement(child, controller)
    other = make_subcontractor(name="Analytiikka Oy")
    make_attestation(other)
    make_engagement(other, controller)
    signed_in(client)

    rows = _rows(_section(text(client.get(f"/controllers/{controller.id}"))))

    names = [next(name for name in ("Backup Cloud LLC", "Analytiikka Oy", "Pilvi Hosting Oy")
                  if name in row) for row in rows]
    assert names == ["Analytiikka Oy", "Pilvi Hosting Oy", "Backup Cloud LLC"]
    child_row = rows[2]
    assert 'class="chain-link"' in child_row and "Engaged by Pilvi Hosting Oy" in child_row
    assert "US" in child_row and "Binding corporate rules (Art. 47)" in child_row
    assert "Authorised" in child_row
    assert "None needed (EEA only)" in rows[0]


def test_a_second_tier_without_authorisation_is_listed_red_through_its_parent(app, client):
    make_requirement()
    controller = make_dpa().controller
    parent = make_subcontractor(name="Pilvi Hosting Oy")
    make_attestation(parent)
    make_engagement(parent, None)  # every controller's data
    child = make_subcontractor(name="Backup Cloud Oy", parent=parent)
    make_attestation(child)
    signed_in(client)

    page = text(client.get(f"/controllers/{controller.id}"))
    rows = _rows(_section(page))

    assert len(rows) == 2
    assert "Through Pilvi Hosting Oy" in rows[1] and "Unauthorised" in rows[1]
    assert "Backup Cloud Oy processes" in page and "has not authorised it" in page
