"""Fixtures: a contract that ended (we and a subcontractor hold the data) on the fixed clock."""

from dataclasses import dataclass
from datetime import date

import pytest

from registry import seed
from tests.portal.factories import make_tenant
from tests.registry_factories import make_controller, make_dpa, make_engagement

ENDED_ON = date(2026, 11, 10)  # the clock fixture's today is 2026-11-25
DUE_ON = date(2026, 12, 10)


@dataclass
class Ended:
    """The controller whose DPA ended, and the two companies in the portal (Alpha held its
    data; Bravo holds another controller's)."""

    controller: object
    alpha: object
    bravo: object
    other: object

    @property
    def processor_key(self):
        return f"controller-{self.controller.id}"

    @property
    def alpha_key(self):
        return f"controller-{self.controller.id}-subcontractor-{self.alpha.subcontractor.id}"


@pytest.fixture
def ended(app, clock):
    """Aurora's DPA was terminated on 2026-11-10 (deletion, 30 days); Alpha held its data."""
    seed.ensure_reference_data()
    alpha, bravo = make_tenant("Alpha"), make_tenant("Bravo")
    controller = make_controller(name="Aurora Kauppa Oy")
    make_dpa(controller, status="terminated", terminated_on=ENDED_ON,
             return_or_deletion="deletion")
    other = make_dpa(make_controller(name="Borealis Oy")).controller
    make_engagement(alpha.subcontractor, controller, proposed_on=date(2026, 1, 1))
    make_engagement(bravo.subcontractor, other)
    return Ended(controller, alpha, bravo, other)
