"""Ending DPAs through the API, with the DPA page's TerminateForm and the DPA operations.

Only a signed DPA without an end date can be terminated (409 otherwise, as the page refuses
it); the form checks the return-or-deletion choice against the end date as on the page, and
the change is made only on the version read (If-Match). Drafting and signing a DPA (with its
signed PDF) stay on the web pages for now.
"""

from typing import Annotated, Literal

from pydantic import Field

from registry.api import catalogue
from registry.api.endpoints import operation
from registry.api.schemas import Day, Strict
from registry.api.writes import actor, change_row, validated_form
from registry.auth.access import STAFF
from registry.dpas import operations
from registry.dpas.forms import TerminateForm
from registry.models import RETURN_OR_DELETION


class DpaTermination(Strict):
    """When a signed DPA ends and what happens to the personal data then."""

    terminated_on: Annotated[Day, Field(description=(
        "The last day; a DPA ending later stays in force until then."))]
    return_or_deletion: Literal[tuple(RETURN_OR_DELETION)]


def register(blueprint):
    """Add the DPA writes to `blueprint`."""
    dpas = catalogue.BY_PATH["dpas"]

    @operation(blueprint, "POST", "/dpas/<int:dpa_id>/terminate", tag="DPAs", roles=STAFF,
               scope="write", body=DpaTermination, response=dpas.schema, if_match=True,
               errors=(400, 404, 409, 412, 415, 422, 428))
    def terminate_dpa(dpa_id, body, if_match):
        """End a signed DPA on a date, with its return-or-deletion option (as its page does)."""

        def terminate(dpa, version):
            operations.check_can_terminate(dpa)
            form = validated_form(TerminateForm, body.model_dump())
            return operations.terminate_dpa(dpa, form.terminated_on.data,
                                            form.return_or_deletion.data, actor(), version)

        return change_row(dpas, dpa_id, if_match, terminate, operations.DpaStateError)
