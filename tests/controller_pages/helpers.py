"""Two controllers with their own DPAs, sub-processors and links, for the page tests."""

from dataclasses import dataclass
from datetime import timedelta

from registry.controller_pages import links
from registry.models import Controller, utcnow
from tests.registry_factories import (
    days,
    make_dpa,
    make_engagement,
    make_instruction,
    make_subcontractor,
)


@dataclass
class Party:
    """A controller, its link's token and path, and its rows."""

    controller: Controller
    token: str
    pending: object
    authorised: object
    instruction: object

    @property
    def path(self):
        return f"/c/{self.token}"


def make_party(name, contacts, subcontractor_prefix):
    """Create a controller with a general-authorisation DPA, one authorised sub-processor, one
    proposed and notified inside its objection period, an instruction, and a link."""
    controller = make_dpa(
        title=f"{name} DPA", objection_period_days=30, breach_notice_hours=36,
        controller=Controller.create(key=f"c-{subcontractor_prefix}", name=name, country="FI",
                                     privacy_contacts=contacts, services=["online store"]),
    ).controller
    authorised = make_engagement(
        make_subcontractor(name=f"{subcontractor_prefix} Hosting Oy", purpose="Hosting",
                           data_categories=["order data"]), controller)
    pending = make_engagement(
        make_subcontractor(name=f"{subcontractor_prefix} Mailer Ltd", purpose="Newsletters",
                           country="IE", processing_countries=["IE"], status="proposed"),
        controller, on_list_at_signing=False, proposed_on=days(-5), notified_on=days(-3),
        notice_recipients=contacts, notice_sent_at=utcnow() - timedelta(days=3))
    instruction = make_instruction(controller, title=f"{name} retention",
                                   text="Delete abandoned carts after 30 days.")
    token = links.issue_link(controller, "test")
    return Party(controller, token, pending, authorised, instruction)
