"""Creating and changing subcontractors through the API, with the web's SubcontractorForm.

The body's members are the form's fields (lists as JSON arrays, `parent_id` for the parent
sub-processor); the form offers the same parents the web page offers and checks the same rules
(a Finnish business id, a transfer mechanism for processing outside the EEA, a parent that
does not make a loop), and the area's operations write and audit.
"""

from typing import Annotated, Literal

from pydantic import EmailStr, Field

from registry.api import catalogue
from registry.api.endpoints import operation
from registry.api.problems import Problem
from registry.api.resources import row_response
from registry.api.schemas import Day, Id, Strict
from registry.api.writes import (
    actor,
    blank_values,
    change_row,
    form_values,
    refusals,
    validated_form,
)
from registry.auth.access import STAFF
from registry.compliance import TRANSFER_MECHANISMS
from registry.compliance.facts import RISK_TIERS
from registry.i18n import LANGUAGES
from registry.subcontractors import operations, queries
from registry.subcontractors.forms import SubcontractorForm

Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2")]
Text = Annotated[str, Field(max_length=2000)]
Category = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\r\n,]*\S[^\r\n,]*$")]
MEMBERS = {
    "name": (Annotated[str, Field(min_length=1, max_length=200, pattern=r"\S")], None),
    "country": (Country, None),
    "business_id": (Annotated[str, Field(max_length=50)], None),
    "language": (Literal[LANGUAGES], None),
    "website": (Annotated[str, Field(max_length=300)], None),
    "purpose": (Annotated[str, Field(min_length=1, max_length=2000, pattern=r"\S")], None),
    "data_categories": (Annotated[list[Category], Field(max_length=50)], None),
    "processing_countries": (Annotated[list[Country], Field(max_length=50)], None),
    "transfer_mechanism": (Literal[tuple(TRANSFER_MECHANISMS)] | None, None),
    "tia_on": (Day | None, None),
    "risk_tier": (Literal[RISK_TIERS], None),
    "handles_card_data": (bool, None),
    "status": (Literal["proposed", "active"], None),
    "contacts": (Annotated[list[EmailStr], Field(max_length=50)], None),
    "breach_notice_hours": (Annotated[int, Field(ge=1, le=720)] | None, None),
    "parent_id": (Id | None, None),
}


def _model(name, required, doc):
    from pydantic import create_model

    fields = {member: ((kind, ...) if member in required else (kind | None, default))
              for member, (kind, default) in MEMBERS.items()}
    return create_model(name, __base__=Strict, __doc__=doc, **fields)


SubcontractorCreate = _model("SubcontractorCreate", ("name", "purpose"),
                             "A new subcontractor: the fields of the web form.")
SubcontractorChange = _model("SubcontractorChange", (),
                             "A change to a subcontractor: only the members sent change.")


def _form_data(body):
    data = body.model_dump(exclude_unset=True)
    if "parent_id" in data:
        data["parent"] = str(data.pop("parent_id") or "")
    if "processing_countries" in data:
        data["processing_countries"] = ", ".join(data["processing_countries"] or ())
    return data


def _offer_parents(subcontractor=None):
    return lambda form: form.offer_parents(queries.ChainLinks.load(), subcontractor)


def register(blueprint):
    """Add the subcontractor writes to `blueprint`."""
    subcontractors = catalogue.BY_PATH["subcontractors"]

    @operation(blueprint, "POST", "/subcontractors", tag="Subcontractors", roles=STAFF,
               scope="write", body=SubcontractorCreate, response=subcontractors.schema,
               status=201, errors=(400, 409, 415, 422),
               links={"GetCreatedSubcontractor": ("get_subcontractor", "subcontractor_id")})
    def create_subcontractor(body):
        """Add a subcontractor (as the New subcontractor form does)."""
        form = validated_form(SubcontractorForm,
                              {**blank_values(SubcontractorForm), **_form_data(body)},
                              _offer_parents())
        with refusals(operations.SubcontractorError):
            created = operations.create_subcontractor(form.values(), actor())
        return row_response(subcontractors, created, 201,
                            {"Location": f"/api/v1/subcontractors/{created.id}"})

    @operation(blueprint, "PATCH", "/subcontractors/<int:subcontractor_id>",
               tag="Subcontractors", roles=STAFF, scope="write", body=SubcontractorChange,
               response=subcontractors.schema, if_match=True,
               errors=(400, 404, 409, 412, 415, 422, 428))
    def update_subcontractor(subcontractor_id, body, if_match):
        """Change a subcontractor's details (as its Edit form does; not once offboarded)."""

        def change(subcontractor, version):
            if subcontractor.status == "offboarded":
                raise Problem(409, "An offboarded subcontractor can no longer be changed.")
            current = form_values(SubcontractorForm.for_subcontractor(subcontractor))
            form = validated_form(SubcontractorForm, {**current, **_form_data(body)},
                                  _offer_parents(subcontractor))
            operations.update_subcontractor(subcontractor, form.values(), actor(), version)

        return change_row(subcontractors, subcontractor_id, if_match, change,
                          operations.SubcontractorError)
