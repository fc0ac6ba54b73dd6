"""GET /api/v1/findings: the compliance findings, as `dpa-registry check --format json` has them.

Read from the shared cached snapshot (registry.checks.current_snapshot), the one the dashboard
and every page use, so a page of findings costs a filter over the cached assessment, never a
new assessment while the registry is unchanged.
"""

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from registry import checks
from registry.api import pagination
from registry.api.endpoints import json_response, operation
from registry.api.schemas import Id, PageQuery
from registry.auth.access import READERS
from registry.compliance import AREAS
from registry.listing import per_snapshot

SEVERITIES = ("red", "amber")


class FindingFilters(PageQuery):
    """Narrow the findings; filters combine (AND)."""

    controller_id: Id | None = None
    subcontractor_id: Id | None = None
    severity: Literal[SEVERITIES] | None = None
    area: Literal[AREAS] | None = None


class Finding(BaseModel):
    """One finding of the compliance check."""

    severity: Literal[SEVERITIES]
    code: str
    area: Literal[AREAS]
    subject_type: str
    subject_id: int | None
    controller_id: int | None
    subcontractor_id: int | None
    message: str
    due_on: Annotated[str | None, Field(description="ISO day", json_schema_extra={
        "format": "date"})]
    due_at: Annotated[str | None, Field(description="ISO 8601 instant with offset",
                                        json_schema_extra={"format": "date-time"})]


class FindingPage(BaseModel):
    """A page of findings, with the moment of the assessment and the counts of all that match."""

    today: Annotated[str, Field(json_schema_extra={"format": "date"})]
    now: Annotated[str, Field(json_schema_extra={"format": "date-time"})]
    counts: dict[Literal[SEVERITIES], int]
    items: list[Finding]
    next_cursor: str | None


@per_snapshot
def matching(snapshot, controller_id, subcontractor_id, severity, area):
    """Return (the findings the filters keep, in the check's order, and their counts).

    Kept per snapshot: while the registry is unchanged, every page of one filter is a slice.
    """
    assessment = snapshot.assessment
    if controller_id is not None:
        found = assessment.findings_for_controller(controller_id)
    else:
        found = assessment.findings
    if (subcontractor_id, severity, area) != (None, None, None):
        found = tuple(finding for finding in found
                      if (subcontractor_id is None or finding.subcontractor_id == subcontractor_id)
                      and (severity is None or finding.severity.value == severity)
                      and (area is None or finding.area == area))
    return found, checks.severity_counts(found)


def register(blueprint):
    """Add the findings operation to `blueprint`."""

    @operation(blueprint, "GET", "/findings", tag="Findings", roles=READERS,
               query=FindingFilters, response=FindingPage, errors=(400, 422))
    def list_findings(query):
        """List the compliance findings (the same content as `check --format json`)."""
        today, now = checks.moment()
        snapshot = checks.current_snapshot(today, now)
        found, counts = matching(snapshot, query.controller_id, query.subcontractor_id,
                                 query.severity, query.area)
        page, next_cursor, headers = pagination.position(found, query)
        body = {"today": snapshot.assessment.today.isoformat(),
                "now": now.isoformat(timespec="seconds"), "counts": counts,
                "items": [checks.finding_as_dict(finding) for finding in page],
                "next_cursor": next_cursor}
        return json_response(body, headers=headers)
