"""An empty date reads the same on every vendor form as on the DPA and instruction forms."""

import pytest

from registry.dpas.forms import DATE_MESSAGE
from tests.registry_factories import make_controller, make_engagement, make_subcontractor
from tests.subcontractors.helpers import form_post, signed_in, text


def _page_and_action(kind, subcontractor, engagement):
    detail = f"/subcontractors/{subcontractor.id}"
    return {
        "flow_down": (f"{detail}/flow-down/new", f"{detail}/flow-down/new", "signed_on"),
        "offboard": (detail, f"{detail}/offboard", "offboarded_on"),
        "engage": (f"/engagements/new/{subcontractor.id}", f"/engagements/new/{subcontractor.id}",
                   "proposed_on"),
        "objection": (f"/engagements/{engagement.id}",
                      f"/engagements/{engagement.id}/objection", "objected_on"),
        "withdraw": (f"/engagements/{engagement.id}",
                     f"/engagements/{engagement.id}/withdraw", "withdrawn_on"),
    }[kind]


@pytest.mark.parametrize("kind", ["flow_down", "offboard", "engage", "objection", "withdraw"])
def test_empty_date_asks_for_day_month_and_year(client, kind):
    signed_in(client)
    subcontractor = make_subcontractor()
    engagement = make_engagement(subcontractor, make_controller(), on_list_at_signing=False)
    page_url, url, field = _page_and_action(kind, subcontractor, engagement)
    response = form_post(client, url, {field: "", "scope": "all", "note": "No"},
                         page_url=page_url)
    assert response.status_code == 400
    page = text(response)
    assert DATE_MESSAGE == "Enter the date (day, month and year)."
    error = page[page.index(f'id="{field}-error"'):]
    error = error[:error.index("</p>")]
    assert str(DATE_MESSAGE) in error and "YYYY-MM-DD" not in error
    # The format is the field's hint (issue 18: dates are typed as ISO 8601).
    assert "Format: YYYY-MM-DD" in page
