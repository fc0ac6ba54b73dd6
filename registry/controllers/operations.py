"""Writes to controllers: each in one transaction with its audit event (before and after)."""

import re
import unicodedata

from registry import audit
from registry.audit_trail.changes import change_details, creation_details, field_values
from registry.db import write_transaction
from registry.editing import check_version, lock, save_fields
from registry.models import Controller

FIELDS = ("name", "business_id", "country", "language", "privacy_contacts", "services",
          "ordered_via", "status", "ended_on", "notes")


def slug(name):
    """Return an ASCII slug of `name` ("Kotileipä Oy" -> "kotileipa-oy")."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:80] or "controller"


def unique_key(name):
    """Return an unused controller key derived from `name` (the interchange identifier)."""
    base = f"c-{slug(name)}"
    taken = {
        key for (key,) in Controller.select(Controller.key)
        .where(Controller.key.startswith(base))
        .tuples()
    }
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def create_controller(values, actor):
    """Create a controller from form values and audit it; return the row."""
    with write_transaction():
        controller = Controller.create(key=unique_key(values["name"]), **values)
        audit.record("controller.created", controller, f"Controller {controller.name} created",
                     creation_details(controller, FIELDS), actor=actor)
    return controller


def update_controller(controller, values, actor, seen_version=None):
    """Apply form values to a controller and audit what changed; return the row as saved.

    `seen_version` is the row_version the form was opened on: an edit of an older version is
    refused with StaleEdit rather than overwriting the change made meanwhile.
    """
    with write_transaction():
        current = lock(Controller, controller.id)
        check_version(current, seen_version, current.name)
        before = field_values(current, FIELDS)
        for name, value in values.items():
            setattr(current, name, value)
        details = change_details(before, field_values(current, FIELDS))
        if not details["after"]:
            return current
        save_fields(current, list(details["after"]))
        changed = ", ".join(details["after"])
        audit.record("controller.updated", current,
                     f"Controller {current.name} updated: {changed}", details, actor=actor)
    return current
