"""Rows for portal tests: two companies with users, uploads and documents, on reference data."""

import hashlib
import io
from dataclasses import dataclass

from werkzeug.datastructures import FileStorage

from registry import documents, seed
from registry.models import Attestation, AttestationType, Subcontractor
from tests.documents import pdfs
from tests.factories import make_user
from tests.registry_factories import days, make_subcontractor


def pdf_upload(data=None, filename="certificate.pdf"):
    """Return a FileStorage holding a valid PDF (or `data`)."""
    data = pdfs.valid_pdf() if data is None else data
    return FileStorage(io.BytesIO(data), filename=filename, content_type="application/pdf")


def stored_pdf(data, user=None, filename="certificate.pdf"):
    """Store a PDF built by the tests as a Document (its check is tested in tests/documents)."""
    checked = documents.CheckedUpload(content=data, filename=filename, page_count=1,
                                      sha256=hashlib.sha256(data).hexdigest())
    return documents.save_upload(checked, user)


def make_upload(subcontractor, user=None, type_code="iso27001", review="pending", **overrides):
    """Create an attestation of `subcontractor` with a stored PDF document."""
    marker = f"{subcontractor.key}-{type_code}-{Attestation.select().count()}"
    document = stored_pdf(pdfs.valid_pdf(marker=marker), user)
    values = {"subcontractor": subcontractor,
              "attestation_type": AttestationType.get(AttestationType.code == type_code),
              "issuer": "Certifier Oy", "reference": "C-1", "issued_on": days(-40),
              "valid_until": days(700), "standard_version": "2022", "document": document,
              "uploaded_by": user, "review": review}
    values.update(overrides)
    return Attestation.create(**values)


@dataclass
class Tenant:
    """One company with a signed-in-able user."""

    subcontractor: Subcontractor
    user: object


def make_tenant(name, tier="medium", contacts=None):
    """Create an active company of `tier` with one enrolled user."""
    subcontractor = make_subcontractor(
        name=name, risk_tier=tier,
        contacts=contacts if contacts is not None else [f"security@{name.lower()}.example"],
    )
    return Tenant(subcontractor, make_user("subcontractor", subcontractor=subcontractor,
                                           email=f"officer@{name.lower()}.example"))


def make_world():
    """Reference data, companies A (medium tier) and B (high tier), and a legal user."""
    seed.ensure_reference_data()
    first = make_tenant("Alpha", tier="medium")
    second = make_tenant("Bravo", tier="high")
    legal = make_user("legal", email="legal@processor.example")
    return first, second, legal
