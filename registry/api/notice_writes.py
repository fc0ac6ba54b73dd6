"""Sending notices through the API: an engagement's notice to its controllers, an incident's
first notice, and forwarding a data-subject request to its controller.

Each does what the page's button does, with the areas' own functions: the notice is recorded
(and audited) in one transaction, and the e-mail is handed over after it commits - to the
mail outbox (engagement notices) or the worker (incident notices, forwarding) - never sent
within the request. The answer is the row as it is then; the pages show when the e-mail went
out, and so do the rows read later (`notified_on`, `notice_sent_at`; `forwarded_at`).
If-Match names the version read: a notice about a changed row is refused with 412.
"""

from typing import Annotated

from pydantic import Field

from registry import audit
from registry.api import catalogue
from registry.api.endpoints import operation
from registry.api.problems import Problem
from registry.api.schemas import Id, Strict
from registry.api.writes import actor, change_row, invalid
from registry.auth.access import STAFF
from registry.checks import current_snapshot
from registry.clock import local_today
from registry.engagements import delivery as engagement_delivery
from registry.engagements import notices as engagement_notices
from registry.engagements import readiness
from registry.incidents import delivery as incident_delivery
from registry.incidents import operations as incident_operations
from registry.models import IncidentNotice
from registry.requests import delivery as request_delivery
from registry.requests import operations as request_operations

NOTICE_ERRORS = (400, 404, 409, 412, 415, 422, 428)


class EngagementNotice(Strict):
    """Send the engagement's notice to its controller(s); the objection period starts."""

    send_despite_gaps: bool = Field(False, description=(
        "The page warns before announcing a subcontractor with open gaps (no flow-down "
        "agreement, missing evidence): without this the API answers 409 naming them; with it "
        "the notice goes out and the gaps are recorded in the audit trail with it."))


class IncidentNoticeRequest(Strict):
    """Send an incident's first notice to one controller, or to every one not notified yet."""

    controller_id: Annotated[Id | None, Field(description=(
        "One affected controller; omit for every one not notified yet."))] = None


def _notify_engagement(engagement, body, version):
    """The engagement page's Notify button (registry.engagements.views notify_engagement)."""
    subcontractor = engagement.subcontractor
    gaps = readiness.notice_gaps(subcontractor.id)
    if gaps and not body.send_despite_gaps:
        raise Problem(409, f"{subcontractor.name} has open gaps a notice would announce; fix "
                           "them first, or send with send_despite_gaps.",
                      gaps=[finding.message for finding in gaps])
    if engagement.notified_on is not None or engagement.withdrawn_on is not None:
        raise Problem(409, "The controllers were notified already.")
    if gaps:
        audit.record("engagement.notice_despite_gaps", subcontractor,
                     f"Notice about {subcontractor.name} sent despite: "
                     + "; ".join(finding.message for finding in gaps),
                     {"findings": [finding.code for finding in gaps]})
    planned = engagement_notices.plan_notices([engagement], current_snapshot().facts,
                                              local_today())
    recorded = engagement_notices.record_notices(subcontractor, [engagement], planned, actor(),
                                                 seen_version=version)
    if not recorded:
        raise Problem(409, f"The controllers were notified already about {subcontractor.name}.")
    engagement_delivery.deliver(recorded, subcontractor, actor())


def _incident_notice_ids(incident, controller_id):
    if controller_id is None:
        return None
    notice = IncidentNotice.get_or_none((IncidentNotice.incident == incident)
                                        & (IncidentNotice.controller == controller_id))
    if notice is None:
        raise invalid({"controller_id": [
            "This controller is not among the incident's affected controllers."]})
    return [notice.id]


def register(blueprint):
    """Add the notice writes to `blueprint`."""
    engagements = catalogue.BY_PATH["engagements"]
    incidents = catalogue.BY_PATH["incidents"]
    subject_requests = catalogue.BY_PATH["subject_requests"]

    @operation(blueprint, "POST", "/engagements/<int:engagement_id>/notify",
               tag="Engagements", roles=STAFF, scope="write", body=EngagementNotice,
               response=engagements.schema, if_match=True, errors=NOTICE_ERRORS)
    def notify_engagement(engagement_id, body, if_match):
        """Notify the engagement's controller(s) by e-mail and start the objection period (as
        the engagement page's Notify button does; the mail goes through the outbox)."""
        return change_row(engagements, engagement_id, if_match,
                          lambda row, version: _notify_engagement(row, body, version),
                          engagement_notices.NoticeError)

    @operation(blueprint, "POST", "/incidents/<int:incident_id>/notify", tag="Incidents",
               roles=STAFF, scope="write", body=IncidentNoticeRequest,
               response=incidents.schema, if_match=True, errors=NOTICE_ERRORS)
    def notify_incident(incident_id, body, if_match):
        """Send the incident's first notice to one controller or to every one not notified yet
        (as the incident page does; the worker mails it)."""

        def notify(incident, _version):
            queued = incident_operations.queue_notices(
                incident, actor(), _incident_notice_ids(incident, body.controller_id))
            incident_delivery.enqueue(queued)

        return change_row(incidents, incident_id, if_match, notify,
                          incident_operations.IncidentError)

    @operation(blueprint, "POST", "/subject-requests/<int:subject_request_id>/forward",
               tag="Requests", roles=STAFF, scope="write", response=subject_requests.schema,
               if_match=True, errors=(400, 404, 409, 412, 428))
    def forward_subject_request(subject_request_id, if_match):
        """Forward a data-subject request by e-mail to its controller's privacy contacts (as
        its page does; the worker mails it)."""

        def forward(row, _version):
            request_delivery.enqueue(request_operations.queue_forward(row, actor()))

        return change_row(subject_requests, subject_request_id, if_match, forward,
                          request_operations.RequestError)
