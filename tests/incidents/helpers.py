"""Helpers for the incident page tests: the form a person fills in, and reading pages."""

from tests.subcontractors.helpers import form_post, signed_in, text

__all__ = ["form_post", "incident_form", "signed_in", "text"]


def incident_form(**overrides):
    """Return the fields of a complete "Record an incident" form (internal detection)."""
    values = {
        "title": "Order export e-mailed to the wrong customer",
        "aware_at": "2026-11-25 09:00",
        "nature": "A CSV export of 120 orders was sent to another shop's customer.",
        "data_subject_categories": "Web-shop customers",
        "data_subject_count": "120",
        "record_categories": "Names, e-mail addresses, order numbers",
        "record_count": "150",
        "likely_consequences": "Phishing attempts against the customers",
        "measures": "The recipient deleted the file; exports now need a second check",
        "contact_point": "Data protection officer, dpo@processor.example",
        "detected_by": "internal",
        "affected_scope": "controllers",
    }
    values.update(overrides)
    return values
