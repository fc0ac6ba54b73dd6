"""Helpers for the reference-data tests: seeded defaults, signed-in clients, audit details."""

import json
import re

from registry import seed
from registry.models import AdequacyDecision, AttestationType, AuditEvent, Requirement
from tests.controllers.helpers import signed_in, submit, text

__all__ = ["seeded", "signed_in", "submit", "text", "kind", "group", "decision", "audit_details",
           "checked_values"]


def seeded():
    """Add the default attestation types, requirement groups and adequacy decisions."""
    seed.ensure_reference_data()


def kind(code):
    """Return the attestation type `code` as stored now."""
    return AttestationType.get(AttestationType.code == code)


def group(key):
    """Return the requirement group `key` as stored now."""
    return Requirement.get(Requirement.key == key)


def decision(country_code):
    """Return the latest adequacy decision of `country_code` as stored now."""
    return (AdequacyDecision.select()
            .where(AdequacyDecision.country_code == country_code)
            .order_by(AdequacyDecision.decided_on.desc())
            .get())


def audit_details(action):
    """Return the details of the only audit event of `action`."""
    [event] = AuditEvent.select().where(AuditEvent.action == action)
    return json.loads(event.details)


def checked_values(html, name):
    """Return the values of the ticked checkboxes or radio buttons called `name` in `html`."""
    inputs = re.findall(rf'<input[^>]*name="{name}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs
            if re.search(r"\schecked[\s>]", tag)]
