"""Controller names on the engagement and subcontractor pages link to the controller's page."""

import pytest

from registry import formatting
from tests.registry_factories import make_controller, make_engagement, make_subcontractor
from tests.subcontractors.helpers import signed_in, text


def _pages(engagement):
    return (f"/engagements/{engagement.id}", f"/subcontractors/{engagement.subcontractor_id}",
            "/engagements?status=all")


@pytest.mark.parametrize("role", ["legal", "auditor"])
def test_controller_name_links_to_its_page(client, role):
    signed_in(client, role)
    controller = make_controller(name="Aurora Kauppa Oy")
    engagement = make_engagement(make_subcontractor(), controller)
    link = f'<a href="/controllers/{controller.id}">Aurora Kauppa Oy</a>'
    for url in _pages(engagement):
        assert link in text(client.get(url)), url


def test_no_link_for_a_role_that_may_not_open_controllers(client, monkeypatch):
    signed_in(client)
    controller = make_controller(name="Aurora Kauppa Oy")
    engagement = make_engagement(make_subcontractor(), controller)
    allows = formatting.allows
    monkeypatch.setattr(formatting, "allows", lambda endpoint, role: (
        endpoint != "controllers.show_controller" and allows(endpoint, role)))
    for url in _pages(engagement):
        page = text(client.get(url))
        assert "Aurora Kauppa Oy" in page and f"/controllers/{controller.id}" not in page, url
