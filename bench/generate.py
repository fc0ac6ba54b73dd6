"""Generate a large `dpa-registry/1` document for benchmarks (the same format as imports).

Default size: 5,000 controllers with a DPA and 2 instruction versions each, 300 subcontractors,
50,000 engagements and 3,000 attestations. `scale` multiplies every count.

Every page has something to show: some controllers have ended (their DPA terminated), some DPAs
have a signed second version (the first superseded), some subcontractors are proposed or
offboarded, a fifth of the engagements were notified and then approved, objected to, withdrawn,
are still within their objection period or only proposed, and some attestations await review or
were rejected. The first subcontractor (key s0000, the portal benchmark's company) always has an
upload awaiting review and a rejected one. Every record meets the shared validators.

    python bench/generate.py --scale 0.5 -o /tmp/registry-half.json
"""

import argparse
import json
import random
from datetime import date, timedelta

from registry.models import CLAUSE_KEYS

TIERS = ("low", "medium", "high")
COUNTRIES = ("FI", "FI", "FI", "SE", "DE", "EE", "GB", "US", "IE", "NL")
MECHANISMS = {"GB": "adequacy", "US": "dpf"}
TYPES_BY_TIER = {
    "low": ("security_questionnaire",),
    "medium": ("iso27001", "soc2_type2"),
    "high": ("iso27001", "pentest_report"),
}
DEFAULT_SIZE = {"controllers": 5000, "subcontractors": 300, "engagements": 50_000,
                "attestations": 3000}
# Shares of the rows in each state other than the plain one.
ENDED = 0.02  # controllers whose relationship ended (their DPA terminated)
TWO_VERSIONS = 0.05  # controllers whose DPA was re-signed (version 1 superseded)
PROPOSED, OFFBOARDED = 0.03, 0.03  # subcontractors
PENDING, REJECTED = 0.04, 0.02  # attestations


def _y_tunnus(number):
    digits = f"{number:07d}"
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    if remainder == 1:
        return None
    return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


def _finnish_id(number):
    """Return the first valid Y-tunnus from `number` on."""
    while (business_id := _y_tunnus(number)) is None:
        number += 1
    return business_id


def _controllers(count, rng):
    rows, number = [], 1_000_000
    while len(rows) < count:
        number += rng.randint(1, 97)
        business_id = _y_tunnus(number)
        if business_id:
            index = len(rows)
            rows.append({"key": f"c{index:06d}", "name": f"Asiakas {index} Oy",
                         "business_id": business_id, "country": "FI",
                         "privacy_contacts": [f"privacy@c{index}.example"],
                         "services": ["online store"], "ordered_via": None,
                         "status": "ended" if index and rng.random() < ENDED else "active"})
    return rows


DESCRIPTION = {"subject_matter": "Online store operation", "duration": "Until terminated",
               "nature_and_purpose": "Hosting and order handling",
               "personal_data_types": "Contact and order details",
               "data_subject_categories": "Customers"}


def _dpa_version(key, version, signed, on, rng):
    return {"controller": key, "version": version, "title": "Data processing agreement",
            "status": "signed", "signed_on": on(signed),
            "effective_from": None, "review_due_on": on(rng.randint(-30, 700)),
            # Some expired, some expiring, always after the signing.
            "expires_on": (on(rng.randint(max(signed + 1, -60), 1500)) if rng.random() < 0.3
                           else None),
            "subprocessor_authorisation": rng.choice(("general", "general", "specific")),
            "objection_period_days": 30, "breach_notice_hours": rng.choice((24, 48, 72)),
            "clauses": {k: rng.random() > 0.01 for k in CLAUSE_KEYS},
            "description": DESCRIPTION}


def _dpas(controller, on, rng):
    """Return the DPA versions of one controller (one, or two with the first superseded)."""
    key, signed = controller["key"], -rng.randint(30, 1500)
    if controller["status"] == "ended":
        dpa = _dpa_version(key, 1, signed, on, rng)
        ended = rng.randint(signed + 1, 0)
        controller["ended_on"] = on(ended)
        dpa.update(status="terminated", terminated_on=on(ended), return_or_deletion="deletion",
                   expires_on=None)
        return [dpa]
    if signed < -60 and rng.random() < TWO_VERSIONS:
        first = _dpa_version(key, 1, signed, on, rng)
        first.update(status="superseded", expires_on=None)
        return [first, _dpa_version(key, 2, rng.randint(signed + 30, -1), on, rng)]
    return [_dpa_version(key, 1, signed, on, rng)]


def _instructions(key, on, rng):
    # Version 2 is acknowledged 21 days after the first receipt: never after today.
    received = -rng.randint(25, 900)
    return [{"controller": key, "version": version, "title": "Retention",
             "text": f"Retention rule version {version}", "source": "e-mail",
             "received_on": on(received + 10 * version), "effective_from": None,
             "acknowledged_on": on(received + 10 * version + 1) if rng.random() > 0.05 else None}
            for version in (1, 2)]


def _subcontractors(count, on, rng):
    rows = []
    for index in range(count):
        country = rng.choice(COUNTRIES)
        mechanism, tia_on = MECHANISMS.get(country), None
        if country == "US" and rng.random() < 0.5:  # SCCs with a transfer impact assessment
            mechanism, tia_on = "scc_2021_m3", on(-rng.randint(10, 400))
        state = rng.random() if index else 1.0  # s0000 stays active (the portal's company)
        status = ("proposed" if state < PROPOSED else
                  "offboarded" if state < PROPOSED + OFFBOARDED else "active")
        rows.append({"key": f"s{index:04d}", "name": f"Alihankkija {index} Oy",
                     "business_id": _finnish_id(2_000_000 + index) if country == "FI" else None,
                     "country": country, "tier": rng.choice(TIERS),
                     "status": status,
                     "offboarded_on": on(-rng.randint(10, 300)) if status == "offboarded" else None,
                     "purpose": "Service", "data_categories": ["name"],
                     "processing_countries": [country],
                     "transfer_mechanism": mechanism,
                     "contacts": [f"security@s{index}.example"] if index % 2 == 0 else [],
                     "website": "", "handles_card_data": False, "tia_on": tia_on,
                     "breach_notice_hours": 24,
                     "flow_down": {"signed_on": on(-rng.randint(10, 900)),
                                   "clauses": dict.fromkeys(CLAUSE_KEYS, True)}})
    return rows


def _engagements(count, controllers, subcontractors, on, rng):
    pairs, rows = set(), []
    count = min(count, len(controllers) * len(subcontractors))  # each pair at most once
    while len(rows) < count:
        subcontractor = rng.choice(subcontractors)["key"]
        controller = rng.choice(controllers)["key"]
        if (subcontractor, controller) in pairs:
            continue
        pairs.add((subcontractor, controller))
        on_list = rng.random() < 0.8
        row = {"subcontractor": subcontractor, "controller": controller,
               "on_list_at_signing": on_list, "proposed_on": None,
               "notified_on": None if on_list else on(-rng.randint(1, 200)),
               "objection_deadline": None, "objected_on": None,
               "approved_on": None, "withdrawn_on": None}
        if not on_list:
            row.update(_after_notice(rng.random(), on, rng))
        rows.append(row)
    return rows


def _after_notice(state, on, rng):
    """Return what happened to an engagement notified after signing (`state` in [0, 1))."""
    notified = -rng.randint(40, 300)
    deadline = on(notified + 30)  # every DPA gives 30 days
    if state < 0.30:  # no objection within the period: authorised by silence
        return {}
    if state < 0.45:
        return {"notified_on": on(notified), "approved_on": on(notified + rng.randint(1, 20))}
    if state < 0.55:
        return {"notified_on": on(notified), "objection_deadline": deadline,
                "objected_on": on(notified + rng.randint(1, 29)),
                "objection_note": "Our data must stay in the EU."}
    if state < 0.70:
        return {"notified_on": on(notified), "withdrawn_on": on(notified + rng.randint(1, 35))}
    if state < 0.85:  # still within the objection period
        notified = -rng.randint(1, 25)
        return {"notified_on": on(notified), "objection_deadline": on(notified + 30)}
    return {"notified_on": None, "proposed_on": on(-rng.randint(0, 20))}  # not notified yet


def _attestations(count, subcontractors, on, rng):
    rows = []
    for index in range(count):
        subcontractor = subcontractors[index % len(subcontractors)]
        kind = rng.choice(TYPES_BY_TIER[subcontractor["tier"]])
        # s0000 has its first upload awaiting review and its second rejected.
        state = {0: 0.0, len(subcontractors): PENDING}.get(index, rng.random())
        review = ("pending" if state < PENDING else
                  "rejected" if state < PENDING + REJECTED else "accepted")
        issued = -rng.randint(25, 60) if review == "pending" else -rng.randint(1, 700)
        period_end = issued - 20
        rows.append({"subcontractor": subcontractor["key"], "type": kind, "issuer": "Auditor",
                     "reference": f"R-{index}", "scope": "", "issued_on": on(issued),
                     "period_start": on(period_end - 365) if kind == "soc2_type2" else None,
                     "period_end": on(period_end) if kind == "soc2_type2" else None,
                     "valid_until": on(issued + 1095) if kind == "iso27001" else None,
                     "bridge_letter_until": None, "standard_version":
                     "2022" if kind == "iso27001" else None,
                     "review": review, "rejection_reason":
                     "The certificate does not cover the hosting service."
                     if review == "rejected" else ""})
    return rows


def generate(scale=1.0, today=None, seed=2026):
    """Return a registry document of `scale` times the default benchmark size."""
    rng = random.Random(seed)
    today = today or date.today()

    def on(days):
        return (today + timedelta(days=days)).isoformat()

    size = {name: max(1, int(count * scale)) for name, count in DEFAULT_SIZE.items()}
    controllers = _controllers(size["controllers"], rng)
    subcontractors = _subcontractors(size["subcontractors"], on, rng)
    return {
        "format": "dpa-registry/1",
        "controllers": controllers,
        "dpas": [dpa for c in controllers for dpa in _dpas(c, on, rng)],
        "instructions": [row for c in controllers for row in _instructions(c["key"], on, rng)],
        "subcontractors": subcontractors,
        "engagements": _engagements(size["engagements"], controllers, subcontractors, on, rng),
        "attestations": _attestations(size["attestations"], subcontractors, on, rng),
    }


def main():
    """Write a generated document to a file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    with open(args.output, "w", encoding="utf-8") as output:
        json.dump(generate(args.scale), output)


if __name__ == "__main__":
    main()
