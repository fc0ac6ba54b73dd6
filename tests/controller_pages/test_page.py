"""A controller's own page: what it shows, to whom, and what stays out of reach."""

import pytest

from registry.models import AuditEvent, ControllerLink
from tests.controller_pages.helpers import make_party
from tests.subcontractors.helpers import text


@pytest.fixture
def parties(app, clock):
    """Aurora and Borealis, each with its own DPA, sub-processors, instruction and link."""
    return (make_party("Aurora Kauppa Oy", ["dpo@aurora.example"], "Aurora"),
            make_party("Borealis Oy", ["privacy@borealis.example"], "Borealis"))


def test_the_page_shows_the_dpa_sub_processors_pending_changes_and_instructions(client, parties):
    aurora, _borealis = parties
    response = client.get(aurora.path)
    assert response.status_code == 200
    page = text(response)
    for shown in ("Aurora Kauppa Oy", "Aurora Kauppa Oy DPA", "30 days",
                  "within 36 hours", "Aurora Hosting Oy", "Hosting", "order data",
                  "Aurora Mailer Ltd", "You may object until", "Aurora Kauppa Oy retention",
                  "Delete abandoned carts after 30 days."):
        assert shown in page, shown
    assert "Borealis" not in page
