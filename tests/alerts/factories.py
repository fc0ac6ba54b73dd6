"""Rows for the alert tests: staff, and a registry where a DPA and an attestation lapse together."""

from datetime import date, timedelta

from registry.models import User
from tests.registry_factories import (
    make_attestation,
    make_controller,
    make_dpa,
    make_requirement,
    make_subcontractor,
)

LAPSES_ON = date(2027, 1, 24)  # 60 days after 2026-11-25
# Fixed, not counted from the machine's today: the tests travel to 2026-11-25 after building.
FLOW_DOWN_SIGNED_ON = date(2024, 1, 2)


def make_staff(email, role="legal", is_active=True, full_name="", subcontractor=None,
               accepted=True):
    """Create a user row that receives mail: one who accepted their invitation (a password
    hash that no password matches), or with `accepted=False` one invited who never did."""
    return User.create(email=email, role=role, is_active=is_active, full_name=full_name,
                       subcontractor=subcontractor,
                       password_hash="$argon2id$accepted-in-a-test" if accepted else None)


def make_lapsing_registry(lapses_on=LAPSES_ON, subcontractor_name="Pilvi Oy"):
    """Create legal staff, a controller whose DPA and a subcontractor whose ISO 27001 lapse."""
    make_staff("legal@processor.example")
    make_staff("admin@processor.example", role="admin")
    make_staff("former@processor.example", is_active=False)
    make_staff("auditor@processor.example", role="auditor")
    controller = make_controller(name="Kauppa Oy")
    dpa = make_dpa(controller, expires_on=lapses_on, signed_on=date(2024, 1, 1),
                   effective_from=date(2024, 1, 1))
    make_requirement(key="low_iso", tier="low", type_codes=("iso27001",))
    subcontractor = make_subcontractor(name=subcontractor_name,
                                       contacts=["security@pilvi.example"],
                                       flow_down_signed_on=FLOW_DOWN_SIGNED_ON)
    # Issued two years before it lapses: within the certificate's 36 months.
    attestation = make_attestation(subcontractor, "iso27001",
                                   issued_on=lapses_on - timedelta(days=730), valid_until=lapses_on)
    make_staff("anna@pilvi.example", role="subcontractor", subcontractor=subcontractor)
    return {"controller": controller, "dpa": dpa, "subcontractor": subcontractor,
            "attestation": attestation}
