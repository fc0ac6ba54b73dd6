"""Recording and closing incidents through the API, with the incidents area's form and
operations.

A new incident's body fills the page's IncidentForm (instants are RFC 3339 with their UTC
offset, which the form's own parser reads), offered the same controllers and subcontractors;
the controllers affected and each one's deadline are found as on the page. An incident is
closed once every affected controller has its notice; the close is checked against the version
read (If-Match) inside the operation's transaction. Sending notices and follow-ups (e-mail),
correcting an incident and adding controllers stay on the web pages for now.
"""

from typing import Annotated, Literal

from pydantic import Field
from wtforms.fields.choices import SelectChoice

from registry.api import catalogue
from registry.api.endpoints import operation
from registry.api.resources import row_response
from registry.api.schemas import Id, Strict
from registry.api.writes import actor, change_row, refusals, validated_form
from registry.auth.access import STAFF
from registry.incidents import operations, queries
from registry.incidents.forms import IncidentForm
from registry.settings.store import load_settings
from registry.validation import LONG_TEXT_LENGTH, MAX_APPROXIMATE_COUNT, NAME_LENGTH

# Years 1900-2099 only: outside them an offset could carry an instant past datetime's range.
Instant = Annotated[str, Field(
    pattern=r"^(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})$",
    description="RFC 3339 with its UTC offset, e.g. 2026-11-25T14:30:00+02:00; not in the future.")]
Text = Annotated[str, Field(max_length=LONG_TEXT_LENGTH)]
Required = Annotated[str, Field(min_length=1, max_length=LONG_TEXT_LENGTH, pattern=r"\S")]
Count = Annotated[int, Field(ge=0, le=MAX_APPROXIMATE_COUNT, description=(
    "Approximate; omit while it is not known."))]


class IncidentCreate(Strict):
    """A personal-data breach: what the controllers need (Art. 33(3)), who detected it, whom
    it affects."""

    title: Annotated[str, Field(min_length=1, max_length=NAME_LENGTH, pattern=r"\S")]
    aware_at: Annotated[Instant, Field(description="When you became aware of it (RFC 3339).")]
    nature: Annotated[Required, Field(description="What happened: what data, how, since when.")]
    data_subject_categories: Text = ""
    data_subject_count: Count | None = None
    record_categories: Text = ""
    record_count: Count | None = None
    likely_consequences: Text = ""
    measures: Text = ""
    contact_point: Required | None = Field(None, description=(
        "Who the controllers can ask; omit for the DPO (else processor) contact in Settings."))
    detected_by: Literal["internal", "subcontractor"] = "internal"
    subcontractor_id: Id | None = Field(None, description=(
        "Required when a subcontractor reported it or the scope is `subcontractor`."))
    subcontractor_aware_at: Instant | None = Field(None, description=(
        "When the subcontractor became aware (its report); required when it reported it."))
    affected_scope: Literal["controllers", "subcontractor"] = Field("controllers", description=(
        "`subcontractor`: every controller whose data the subcontractor processes."))
    controller_ids: Annotated[list[Id], Field(max_length=500, description=(
        "The affected active controllers when the scope is `controllers`."))] = []


def _offer_choices(form):
    form.controllers.choices = queries.controller_choices()
    form.subcontractor.choices = [SelectChoice("", "None"), *queries.subcontractor_choices()]


def _default_contact():
    settings = load_settings()
    return settings["dpo_contact"] or settings["processor_contact"]


def _record(body):
    values = body.model_dump(exclude={"subcontractor_id", "controller_ids"})
    values.update(subcontractor=body.subcontractor_id, controllers=body.controller_ids,
                  contact_point=body.contact_point or _default_contact())
    form = validated_form(IncidentForm, values, _offer_choices, multiple=("controllers",))
    record = form.record_values()
    zone = queries.registry_zone()
    day = record["aware_at"].astimezone(zone).date()
    with refusals(operations.IncidentError):
        return operations.record_incident(
            record, queries.affected_controllers(form, day),
            operations.deadline_rules(zone, day), actor())


def register(blueprint):
    """Add the incident writes to `blueprint`."""
    incidents = catalogue.BY_PATH["incidents"]

    @operation(blueprint, "POST", "/incidents", tag="Incidents", roles=STAFF, scope="write",
               body=IncidentCreate, response=incidents.schema, status=201,
               errors=(400, 409, 415, 422),
               links={"GetCreatedIncident": ("get_incident", "incident_id")})
    def create_incident(body):
        """Record an incident and the controllers to notify (as the New incident form does)."""
        incident = _record(body)
        return row_response(incidents, incident, 201,
                            {"Location": f"/api/v1/incidents/{incident.id}"})

    @operation(blueprint, "POST", "/incidents/<int:incident_id>/close", tag="Incidents",
               roles=STAFF, scope="write", response=incidents.schema, if_match=True,
               errors=(400, 404, 409, 412, 428))
    def close_incident(incident_id, if_match):
        """Close an incident whose controllers are all notified (it stays in the register)."""
        return change_row(incidents, incident_id, if_match,
                          lambda row, version: operations.close_incident(row, version, actor()),
                          operations.IncidentError)
