"""The whole assessment: statuses, ordering, helpers, every finding code, purity and scale."""

import ast
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from registry import compliance
from registry.compliance import (
    FINDING_CODES,
    AssistanceRequestFacts,
    IncidentFacts,
    IncidentNoticeFacts,
    RegistryFacts,
    Severity,
    SubjectRequestFacts,
    assess,
    clauses_from_mapping,
    worst,
)
from registry.compliance.return_or_deletion import ReturnOrDeletionEvidenceFacts
from tests.compliance.builders import (
    TODAY,
    attestation,
    controller,
    dpa,
    engagement,
    flow_down,
    instruction,
    registry,
    subcontractor,
)

DAY = timedelta(days=1)
RED, AMBER, GREEN = Severity.RED, Severity.AMBER, Severity.GREEN


def test_an_orderly_registry_has_no_findings_and_is_green():
    result = assess(registry(), TODAY)
    assert result.findings == ()
    assert result.controller_status == {1: GREEN}
    assert result.subcontractor_status == {10: GREEN}
    assert result.engagement_status == {1000: "authorised"}
    assert result.controller_subcontractors == {1: (10,)}


def test_severity_orders_green_amber_red():
    assert GREEN < AMBER < RED
    assert worst([AMBER, RED, GREEN]) is RED
    assert worst([]) is GREEN
    assert [severity.value for severity in (RED, AMBER, GREEN)] == ["red", "amber", "green"]


def test_a_controller_is_as_bad_as_the_subcontractors_engaged_for_it():
    facts = registry(
        controllers=(controller(id=1), controller(id=2, name="Beta Oy")),
        dpas=(dpa(id=1, controller_id=1), dpa(id=2, controller_id=2)),
        subcontractors=(subcontractor(flow_down_signed_on=None),),
    )
    result = assess(facts, TODAY)
    assert result.findings_for_controller(1) == ()
    assert result.subcontractor_status == {10: RED}
    assert result.controller_status == {1: RED, 2: GREEN}


def test_a_withdrawn_engagement_no_longer_taints_the_controller():
    facts = registry(
        subcontractors=(subcontractor(flow_down_signed_on=None),),
        engagements=(engagement(withdrawn_on=date(2026, 1, 1)),),
        return_or_deletion=(ReturnOrDeletionEvidenceFacts(
            key="engagement-1000", certificate_on=date(2026, 1, 9),
            completed_on=date(2026, 1, 9)),),
    )
    result = assess(facts, TODAY)
    assert result.controller_status == {1: GREEN}
    assert result.controller_subcontractors == {1: ()}


def test_a_scope_all_subcontractor_taints_every_active_controller():
    facts = registry(
        controllers=(controller(id=1), controller(id=2, name="Beta Oy", status="ended")),
        attestations=(attestation(valid_until=TODAY + 5 * DAY),),
        engagements=(engagement(controller_id=None),),
    )
    result = assess(facts, TODAY)
    assert result.subcontractor_status == {10: AMBER}
    assert result.controller_status == {1: AMBER, 2: GREEN}
    assert result.controller_subcontractors == {1: (10,)}


def test_a_subcontractors_status_ignores_its_engagement_findings():
    facts = registry(engagements=(engagement(on_list_at_signing=False, notified_on=TODAY),))
    result = assess(facts, TODAY)
    assert result.subcontractor_status == {10: GREEN}
    assert result.controller_status == {1: RED}
    assert {f.code for f in result.findings_for_subcontractor(10)} == {
        "engagement_objection_period",
        "engagement_unauthorised",
    }


def test_an_ended_controller_is_silent_and_green():
    facts = registry(
        controllers=(controller(status="ended"),),
        dpas=(),
        instructions=(instruction(received_on=date(2025, 1, 1)),),
        subcontractors=(subcontractor(flow_down_signed_on=None),),
    )
    result = assess(facts, TODAY)
    assert result.findings_for_controller(1) == ()
    assert result.controller_status == {1: GREEN}


def test_findings_are_red_first_then_by_due_date():
    facts = registry(
        dpas=(dpa(expires_on=TODAY + 10 * DAY, review_due_on=TODAY - 40 * DAY),),
        instructions=(instruction(received_on=date(2026, 2, 2)),),
        subcontractors=(subcontractor(flow_down_signed_on=None),),
    )
    result = assess(facts, TODAY)
    assert [(f.severity, f.code, f.due_on) for f in result.findings] == [
        (RED, "flow_down_missing", None),
        (AMBER, "dpa_review_due", date(2026, 1, 30)),
        (AMBER, "instruction_unacknowledged", date(2026, 2, 9)),
        (AMBER, "dpa_expiring", date(2026, 3, 21)),
    ]
    assert result.counts_by_area() == {
        "dpas": {RED: 0, AMBER: 2},
        "instructions": {RED: 0, AMBER: 1},
        "subcontractors": {RED: 1, AMBER: 0},
        "engagements": {RED: 0, AMBER: 0},
        "incidents": {RED: 0, AMBER: 0},
        "requests": {RED: 0, AMBER: 0},
        "return_or_deletion": {RED: 0, AMBER: 0},
    }


INCOMPLETE = clauses_from_mapping({"documented_instructions": True})


def every_code_subcontractors():
    return (
        subcontractor(id=10, name="Medium Oy", risk_tier="medium"),
        subcontractor(id=11, flow_down_clauses=INCOMPLETE),
        subcontractor(
            id=12, name="High Inc", risk_tier="high", country="US", flow_down_signed_on=None
        ),
        subcontractor(
            id=13, name="Old SCC Ltd", country="IN", transfer_mechanism="scc_2010",
            breach_notice_hours=72,
        ),
        subcontractor(
            id=14, name="Unsigned Oy", breach_notice_hours=None,
            flow_downs=(flow_down(document_attached=False),),
        ),
        # Works for Old SCC Ltd, which processes controller 3's data; not authorised by it.
        subcontractor(id=15, name="Second Tier Oy", parent_id=13),
    )  # fmt: skip


def every_code_attestations():
    return (
        attestation(id=1, subcontractor_id=10, type_code="soc2_type2", review="pending"),
        attestation(id=2, subcontractor_id=10, type_code="iso27001", valid_until=TODAY - DAY),
        attestation(id=3, subcontractor_id=11, valid_until=TODAY + DAY),
        attestation(
            id=4, subcontractor_id=12, type_code="soc2_type2", period_end=date(2025, 10, 31)
        ),
        attestation(id=5, subcontractor_id=13),
        attestation(
            id=6, subcontractor_id=10, type_code="soc2_type2", period_end=TODAY - 100 * DAY,
            bridge_letter_until=TODAY + 10 * DAY,
        ),
        attestation(id=7, subcontractor_id=11, type_code="pentest_report", issued_on=None),
        attestation(id=8, subcontractor_id=14),
        attestation(id=9, subcontractor_id=15),
    )


def every_code_engagements():
    return (
        engagement(
            id=1, subcontractor_id=10, controller_id=2, on_list_at_signing=False,
            notified_on=date(2026, 1, 1), objected_on=date(2026, 1, 10),
        ),
        engagement(
            id=2, subcontractor_id=11, controller_id=3, on_list_at_signing=False,
            notified_on=TODAY,
        ),
        engagement(id=3, subcontractor_id=13, controller_id=3),
        engagement(
            id=4, subcontractor_id=14, controller_id=3, on_list_at_signing=False,
            notified_on=TODAY - 60 * DAY, objected_on=TODAY - 5 * DAY,
        ),
        engagement(
            id=5, subcontractor_id=10, controller_id=3, on_list_at_signing=False,
            approved_on=TODAY - DAY, approval_documented=False,
        ),
    )  # fmt: skip


def every_code_incidents():
    noon = datetime.combine(TODAY, time(12), tzinfo=UTC)
    hour = timedelta(hours=1)

    def notice(id_, due_at):
        return IncidentNoticeFacts(id=id_, controller_id=3, due_at=due_at, hours=24)

    return (
        IncidentFacts(id=1, reference="INC-1", title="Due", aware_at=noon - hour,
                      notices=(notice(1, noon + 23 * hour),)),
        IncidentFacts(id=2, reference="INC-2", title="Overdue", aware_at=noon - 30 * hour,
                      notices=(notice(2, noon - 6 * hour),)),
        IncidentFacts(id=3, reference="INC-3", title="Late report", aware_at=noon - hour,
                      detected_by="subcontractor", subcontractor_id=10,
                      subcontractor_aware_at=noon - 48 * hour),
    )


def every_code_requests():
    """Return data-subject requests to forward (one due, one overdue, at noon of TODAY) and
    assistance requests (one due, one overdue)."""
    noon = datetime.combine(TODAY, time(12), UTC)
    subject = (
        SubjectRequestFacts(id=1, reference="DSR-1", request_type="access",
                            received_at=noon - timedelta(hours=1),
                            due_at=noon + timedelta(hours=47), controller_id=3),
        SubjectRequestFacts(id=2, reference="DSR-2", request_type="erasure",
                            received_at=noon - 10 * DAY, due_at=noon - 8 * DAY),
    )
    assistance = (
        AssistanceRequestFacts(id=1, reference="AR-1", kind="dpia", controller_id=3,
                               received_on=TODAY - DAY, due_on=TODAY + 5 * DAY),
        AssistanceRequestFacts(id=2, reference="AR-2", kind="audit", controller_id=3,
                               received_on=TODAY - 20 * DAY, due_on=TODAY - DAY),
    )
    return subject, assistance


def every_code_registry() -> RegistryFacts:
    """Return a registry that trips every finding code at least once."""
    lapsed = dpa(
        id=2, controller_id=2, clauses=INCOMPLETE, expires_on=TODAY - DAY,
        review_due_on=TODAY - DAY, description=(("subject_matter", False),),
        document_attached=False,
    )
    return registry(
        controllers=(controller(id=1), controller(id=2, name="Beta Oy"), controller(id=3),
                     controller(id=4, name="Gone Oy", status="ended", ended_on=TODAY - 60 * DAY)),
        dpas=(lapsed, dpa(id=3, controller_id=3, expires_on=TODAY + DAY)),
        instructions=(instruction(controller_id=3, received_on=date(2026, 1, 5)),),
        subcontractors=every_code_subcontractors(),
        attestations=every_code_attestations(),
        engagements=every_code_engagements(),
        incidents=every_code_incidents(),
        subject_requests=every_code_requests()[0],
        assistance_requests=every_code_requests()[1],
    )


def test_every_finding_code_can_occur_and_is_described():
    result = assess(every_code_registry(), TODAY, now=datetime.combine(TODAY, time(12), UTC))
    assert {finding.base_code for finding in result.findings} == set(FINDING_CODES)
    for finding in result.findings:
        meaning = FINDING_CODES[finding.base_code]
        # A return or deletion is about the contract's controller, or the engagement withdrawn.
        subject_type = ("engagement" if finding.area == "return_or_deletion"
                        and finding.subject_type == "engagement" else meaning.subject_type)
        assert (finding.severity, finding.area, finding.subject_type) == (
            meaning.severity,
            meaning.area,
            subject_type,
        )
        assert finding.message


def test_the_compliance_package_imports_nothing_outside_itself():
    package = Path(compliance.__file__).parent
    for module in package.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top not in {"flask", "peewee", "playhouse"}, (module, name)
                if top == "registry":
                    assert name.startswith("registry.compliance"), (module, name)
