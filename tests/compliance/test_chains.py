"""Sub-processor chains: a sub-processor's own sub-processors are judged like the first tier.

GDPR Art. 28(2): the processor engages no other processor without the controller's prior
written authorisation, and that covers every sub-processor the data reaches. Art. 28(4): the
same obligations pass down the chain. EDPB Guidelines 07/2020 (para. 154-160): the controller is
given the full list, including sub-processors of sub-processors.
"""

from datetime import date, timedelta

import pytest

from registry.compliance import Severity, SubcontractorPastFacts, assess
from registry.compliance.chains import ancestors
from tests.compliance.builders import (
    TODAY,
    attestation,
    controller,
    dpa,
    engagement,
    registry,
    subcontractor,
)

DAY = timedelta(days=1)
RED, AMBER, GREEN = Severity.RED, Severity.AMBER, Severity.GREEN
CHAIN = "engagement_chain_unauthorised"

PARENT = subcontractor(id=10, name="Cloudy Oy")
CHILD = subcontractor(id=20, name="Backup Oy", parent_id=10)
GRANDCHILD = subcontractor(id=30, name="Tape Vault Oy", parent_id=20)
EVIDENCE = (attestation(id=100, subcontractor_id=10), attestation(id=200, subcontractor_id=20),
            attestation(id=300, subcontractor_id=30))
PARENT_FOR_ACME = engagement(id=1, subcontractor_id=10, controller_id=1)
CHILD_FOR_ACME = engagement(id=2, subcontractor_id=20, controller_id=1)


def chain_registry(subcontractors=(PARENT, CHILD), engagements=(PARENT_FOR_ACME,), **overrides):
    """Return an orderly registry in which Backup Oy works for Cloudy Oy."""
    return registry(subcontractors=subcontractors, engagements=engagements,
                    attestations=EVIDENCE, **overrides)


def chain_codes(result):
    """Return (subcontractor id, controller id) of every unauthorised link."""
    return sorted((f.subcontractor_id, f.controller_id) for f in result.findings
                  if f.code == CHAIN)


CASES = [
    pytest.param(chain_registry(), [(20, 1)], RED,
                 id="art-28-2-child-without-its-own-authorisation-is-red"),
    pytest.param(chain_registry(engagements=(PARENT_FOR_ACME, CHILD_FOR_ACME)), [], GREEN,
                 id="art-28-2-child-authorised-by-the-controller-is-green"),
    pytest.param(chain_registry(engagements=(engagement(id=1, controller_id=None),)), [(20, 1)],
                 RED, id="art-28-2-parent-for-every-controller-needs-child-for-every-one"),
    pytest.param(chain_registry(engagements=(engagement(id=1, controller_id=None),
                                             engagement(id=2, subcontractor_id=20,
                                                        controller_id=None))),
                 [], GREEN, id="art-28-2-child-engaged-for-every-controller-is-covered"),
    pytest.param(chain_registry(engagements=(PARENT_FOR_ACME, engagement(
        id=2, subcontractor_id=20, withdrawn_on=TODAY - DAY))), [(20, 1)], RED,
                 id="art-28-2-withdrawn-authorisation-no-longer-covers-the-child"),
    pytest.param(chain_registry(engagements=(PARENT_FOR_ACME, engagement(
        id=2, subcontractor_id=20, on_list_at_signing=False, notified_on=TODAY - DAY))), [],
                 RED, id="art-28-2-notified-child-is-judged-by-its-engagement"),
    pytest.param(chain_registry(subcontractors=(PARENT, subcontractor(
        id=20, name="Backup Oy", parent_id=10, status="proposed"))), [], GREEN,
                 id="art-28-2-proposed-child-processes-nothing-yet"),
    pytest.param(chain_registry(subcontractors=(PARENT, subcontractor(
        id=20, name="Backup Oy", parent_id=10, status="offboarded"))), [], GREEN,
                 id="art-28-2-offboarded-child-processes-nothing"),
    pytest.param(chain_registry(subcontractors=(subcontractor(id=10, status="offboarded"),
                                                CHILD)), [], GREEN,
                 id="art-28-2-offboarded-parent-passes-nothing-on"),
    pytest.param(chain_registry(subcontractors=(subcontractor(id=10, status="proposed"),
                                                CHILD)), [], GREEN,
                 id="art-28-2-proposed-parent-passes-nothing-on-yet"),
    # Amber: the parent's (or the ended contract's) return or deletion is due (issue 15).
    pytest.param(chain_registry(engagements=(engagement(id=1, withdrawn_on=TODAY - DAY),)), [],
                 AMBER, id="art-28-2-parent-no-longer-serving-the-controller"),
    pytest.param(chain_registry(controllers=(controller(ended_on=TODAY),)), [], AMBER,
                 id="art-28-2-ended-controller-needs-nothing"),
    pytest.param(chain_registry(subcontractors=(PARENT, CHILD, GRANDCHILD),
                                engagements=(PARENT_FOR_ACME, CHILD_FOR_ACME)),
                 [(30, 1)], RED, id="art-28-4-third-tier-needs-authorisation-too"),
    pytest.param(chain_registry(subcontractors=(PARENT, CHILD, GRANDCHILD)),
                 [(20, 1), (30, 1)], RED, id="art-28-4-every-unauthorised-link-is-red"),
]


@pytest.mark.parametrize(("facts", "unauthorised", "status"), CASES)
def test_a_chain_is_authorised_link_by_link(facts, unauthorised, status):
    result = assess(facts, TODAY)
    assert chain_codes(result) == unauthorised
    assert result.controller_status[1] is status


def test_the_finding_names_the_child_the_controller_and_the_parent():
    finding = next(f for f in assess(chain_registry(), TODAY).findings if f.code == CHAIN)
    assert finding.severity is RED
    assert (finding.area, finding.subject_type, finding.subject_id) == (
        "engagements", "subcontractor", 20)
    assert finding.message == ("Backup Oy processes Acme Oy's data through Cloudy Oy, but Acme Oy "
                               "has not authorised it (Art. 28(2))")


def test_only_controllers_the_parent_serves_need_to_authorise_the_child():
    facts = chain_registry(
        controllers=(controller(id=1), controller(id=2, name="Beta Oy")),
        dpas=(dpa(id=1, controller_id=1), dpa(id=2, controller_id=2)),
        engagements=(PARENT_FOR_ACME, engagement(id=3, subcontractor_id=20, controller_id=2)),
    )
    result = assess(facts, TODAY)
    assert chain_codes(result) == [(20, 1)]
    assert result.controller_status == {1: RED, 2: GREEN}


def test_the_controller_lists_the_chain_and_is_as_bad_as_its_worst_link():
    # Art. 28(4): the child is held to the same obligations; without a flow-down agreement
    # from its parent it is red, and so is every controller whose data reaches it.
    child = subcontractor(id=20, name="Backup Oy", parent_id=10, flow_down_signed_on=None)
    result = assess(chain_registry(subcontractors=(PARENT, child),
                                   engagements=(PARENT_FOR_ACME, CHILD_FOR_ACME)), TODAY)
    assert result.controller_subcontractors == {1: (10, 20)}
    assert result.subcontractor_status == {10: GREEN, 20: RED}
    assert result.controller_status == {1: RED}
    assert chain_codes(result) == []


def test_a_child_is_listed_for_every_controller_its_parent_serves_for_all():
    facts = chain_registry(
        controllers=(controller(id=1), controller(id=2, name="Beta Oy")),
        dpas=(dpa(id=1, controller_id=1), dpa(id=2, controller_id=2)),
        engagements=(engagement(id=1, controller_id=None),
                     engagement(id=2, subcontractor_id=20, controller_id=None)),
    )
    result = assess(facts, TODAY)
    assert result.controller_subcontractors == {1: (10, 20), 2: (10, 20)}
    assert result.findings == ()


def test_a_child_outside_the_eea_needs_a_transfer_mechanism_like_the_first_tier():
    child = subcontractor(id=20, name="Offshore Backup", parent_id=10, country="IN",
                          processing_countries=("IN",))
    result = assess(chain_registry(subcontractors=(PARENT, child),
                                   engagements=(PARENT_FOR_ACME, CHILD_FOR_ACME)), TODAY)
    assert [f.code for f in result.findings_for_subcontractor(20)] == [
        "transfer_mechanism_missing"]
    assert result.controller_status == {1: RED}


def test_a_childs_breach_notice_is_held_to_the_controllers_its_parent_serves():
    # The DPA promises 48 h; a child promising 72 h would make the processor late, whether
    # or not the child's own engagement is in place yet.
    child = subcontractor(id=20, name="Backup Oy", parent_id=10, breach_notice_hours=72)
    result = assess(chain_registry(subcontractors=(PARENT, child)), TODAY)
    assert {f.code for f in result.findings_for_subcontractor(20)} == {
        "breach_notice_too_long", CHAIN}


def test_the_parent_link_is_read_as_of_the_day_asked():
    # Linked under Cloudy Oy on 2026-03-01: until the day before, Backup Oy was engaged
    # directly (by nobody for Acme) and needed no authorisation from Acme.
    child = subcontractor(id=20, name="Backup Oy", parent_id=10, history=(
        SubcontractorPastFacts(valid_until=date(2026, 2, 28), status="active", risk_tier="low",
                               country="FI", breach_notice_hours=24, parent_id=None),))
    facts = chain_registry(subcontractors=(PARENT, child))
    assert chain_codes(assess(facts, date(2026, 2, 28))) == []
    assert chain_codes(assess(facts, TODAY)) == [(20, 1)]


def test_a_loop_in_the_links_ends_the_chain_instead_of_hanging():
    first = subcontractor(id=10, name="Cloudy Oy", parent_id=20)
    second = subcontractor(id=20, name="Backup Oy", parent_id=10)
    subcontractors = {row.id: row for row in (first, second)}
    assert ancestors(20, subcontractors) == (10,)
    assert ancestors(10, subcontractors) == (20,)
    result = assess(chain_registry(subcontractors=(first, second)), TODAY)
    assert chain_codes(result) == [(20, 1)]


def test_a_link_to_an_unknown_parent_is_ignored():
    orphan = subcontractor(id=20, name="Backup Oy", parent_id=999)
    result = assess(chain_registry(subcontractors=(PARENT, orphan)), TODAY)
    assert chain_codes(result) == []
    assert result.controller_subcontractors == {1: (10,)}
