"""Where the subcontractor findings are fixed: the section of the page that fixes each kind."""

from registry.findings_links import register_finding_link, register_subject_page

DETAIL = "subcontractors.show_subcontractor"

register_subject_page("attestation", "subcontractors.show_attestation", "attestation_id")
register_subject_page("flow_down_agreement", "subcontractors.show_flow_down", "agreement_id")


def _section(anchor):
    def link(finding):
        return DETAIL, {"subcontractor_id": finding.subcontractor_id, "_anchor": anchor}

    return link


for _code, _anchor in (
    ("requirement_missing", "requirements"),
    ("requirement_expired", "requirements"),
    ("flow_down_missing", "flow-down"),
    ("flow_down_clause_missing", "flow-down"),
    ("attestation_expired", "attestations"),
    ("attestation_expiring", "attestations"),
    ("attestation_bridge_letter_needed", "attestations"),
):
    register_finding_link(_code)(_section(_anchor))


@register_finding_link("transfer_mechanism_missing")
@register_finding_link("transfer_mechanism_invalid")
@register_finding_link("breach_notice_too_long")
def _edit_details(finding):
    return "subcontractors.edit_subcontractor", {"subcontractor_id": finding.subcontractor_id}


@register_finding_link("attestation_awaiting_review")
def _review_queue(finding):
    return "review.show_queue", {"_anchor": f"attestation-{finding.subject_id}"}


@register_finding_link("engagement_chain_unauthorised")
def _engage_for_the_controller(finding):
    # A link of a chain is authorised like any sub-processor: engage it, then notify.
    return "engagements.new_engagement", {"subcontractor_id": finding.subcontractor_id}
