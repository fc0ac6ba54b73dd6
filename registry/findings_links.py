"""Where a finding is fixed, and which page shows an audited object: one mapping for every page.

`finding_action(finding)` names what staff do there ("Fix", "Review", "Wait until D").
`finding_url(finding)` tries, in order: a link registered for the finding's exact code, for its
base code (`dpa_clause_missing` for `dpa_clause_missing:security_art32`), the page of its subject
(`subject_url`), then its subcontractor's or controller's page. A candidate is used only when its
endpoint is registered and the signed-in user's role may open it, so no link leads to a 404
or a 403.

Areas extend it without editing this file:

    @register_finding_link("attestation_awaiting_review")
    def _review(finding):
        return "attestations.review_attestation", {"attestation_id": finding.subject_id}

    register_subject_page("engagement", "engagements.show_engagement", "engagement_id")
"""

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.access import allows

_finding_links = {}
_subject_pages = {}


def register_finding_link(code):
    """Register `builder(finding) -> (endpoint, url values) | None` for a finding code."""

    def decorate(builder):
        _finding_links.setdefault(code, []).insert(0, builder)
        return builder

    return decorate


def register_subject_page(subject_type, endpoint, argument):
    """Declare that `endpoint`, given `argument=<id>`, shows objects of `subject_type`."""
    _subject_pages.setdefault(subject_type, []).insert(0, (endpoint, argument))


def _url(endpoint, values, role=None):
    # Only pages that exist and that the reader may open: never a link to a 403. Mail built
    # outside a request names the reader's role; pages use the signed-in user's.
    if endpoint not in current_app.view_functions:
        return None
    if role is None and current_user and current_user.is_authenticated:
        role = current_user.role
    if role is None or not allows(endpoint, role):
        return None
    return url_for(endpoint, **values)


def subject_url(subject_type, subject_id, role=None):
    """Return the URL of the page showing one object (audit object types included), or None."""
    if subject_id in (None, ""):
        return None
    for endpoint, argument in _subject_pages.get(subject_type, ()):
        url = _url(endpoint, {argument: subject_id}, role)
        if url:
            return url
    return None


def finding_url(finding, role=None):
    """Return the URL of the page where `finding` is fixed (None when no page is installed).

    `role` is the reader's (default: the signed-in user's), for links in mail.
    """
    for code in dict.fromkeys((finding.code, finding.base_code)):
        for builder in _finding_links.get(code, ()):
            target = builder(finding)
            url = _url(*target, role) if target else None
            if url:
                return url
    return (
        subject_url(finding.subject_type, finding.subject_id, role)
        or subject_url("subcontractor", finding.subcontractor_id, role)
        or subject_url("controller", finding.controller_id, role)
    )


# What the person does about a finding, named on its link: most are fixed; some are decisions
# to review; for some only time will tell (an objection period runs until its deadline).
REVIEW_CODES = frozenset({"attestation_awaiting_review", "engagement_late_objection"})
WAIT_CODES = frozenset({"engagement_objection_period"})


def finding_action(finding):
    """Return the label of a finding's link for staff: "Fix", "Review" or "Wait until D"."""
    if finding.base_code in WAIT_CODES:
        if finding.due_on:
            return _("Wait until %(day)s", day=finding.due_on.isoformat())
        return _("Wait")
    if finding.base_code in REVIEW_CODES:
        return _("Review")
    return _("Fix")


register_subject_page("controller", "controllers.show_controller", "controller_id")
register_subject_page("dpa", "dpas.show_dpa", "dpa_id")
register_subject_page("instruction", "instructions.show_instruction", "instruction_id")
register_subject_page("subcontractor", "subcontractors.show_subcontractor", "subcontractor_id")
register_subject_page("user", "admin.show_user", "user_id")
register_subject_page("incident", "incidents.show_incident", "incident_id")
register_subject_page("subject_request", "requests.show_subject_request", "request_id")
register_subject_page("assistance_request", "requests.show_assistance_request", "request_id")


@register_finding_link("dpa_missing")
def _controller_dpa_section(finding):
    return "controllers.show_controller", {"controller_id": finding.subject_id, "_anchor": "dpa"}

