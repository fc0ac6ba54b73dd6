"""The API's own document, and the attestation PDF download."""

from flask import url_for

from registry.api import catalogue, spec
from registry.api.endpoints import json_response
from registry.api.problems import Problem
from registry.api.resources import get_row
from registry.auth.access import EVERYONE, public
from registry.documents import download_response
from registry.models import Document


def register(blueprint):
    """Add the document and the download operations to `blueprint`."""
    from registry.api.endpoints import operation

    @blueprint.get("/openapi.json")
    @public
    def openapi_document():
        """The OpenAPI 3.1 document of this API (no token needed)."""
        return json_response(spec.document(url_for("api.openapi_document").rsplit("/", 1)[0]))

    @operation(blueprint, "GET", "/attestations/<int:attestation_id>/document",
               tag="Attestations", roles=EVERYONE, media_type="application/pdf",
               errors=(404,))
    def download_attestation(attestation_id):
        """Download an attestation's PDF (the download is audited)."""
        attestation = get_row(catalogue.BY_PATH["attestations"], attestation_id)
        document = Document.get_or_none(Document.id == attestation.document_id)
        if document is None:
            raise Problem(404, "This attestation has no document.")
        return download_response(document)
