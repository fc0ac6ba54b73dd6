"""The items in order (green) of each dashboard area, as rows a person can read and open.

The dashboard's green counts are the sizes of these lists, so a count and the list behind
its link always agree.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from registry.compliance import AREAS
from registry.findings_links import subject_url
from registry.return_or_deletion.queries import items_of, label_of, names_of


@dataclass(frozen=True)
class GreenRow:
    """One item in order: what it is, and the page that shows it (None: no page for the role)."""

    area: str
    text: str
    url: str | None


def _by_id(rows):
    return {row.id: row for row in rows}


class _Describer:
    """Turns the item keys of each area into GreenRows, reading the snapshot's facts once."""

    def __init__(self, snapshot):
        facts = snapshot.facts
        self.snapshot = snapshot
        self.names = names_of(snapshot)
        self.instructions = _by_id(facts.instructions)
        self.engagements = _by_id(facts.engagements)
        self.incidents = _by_id(facts.incidents)
        self.requests = {("subject_request", row.id): row for row in facts.subject_requests}
        self.requests.update({("assistance_request", row.id): row
                              for row in facts.assistance_requests})
        self._returns = None

    def controller(self, controller_id):
        return self.names["controllers"].get(controller_id, f"#{controller_id}")

    def subcontractor(self, subcontractor_id):
        return self.names["subcontractors"].get(subcontractor_id, f"#{subcontractor_id}")

    def dpas(self, controller_id):
        return (_("DPA with %(name)s", name=self.controller(controller_id)),
                subject_url("controller", controller_id))

    def instructions_(self, instruction_id):
        instruction = self.instructions[instruction_id]
        return (_("%(title)s (version %(version)s) of %(controller)s", title=instruction.title,
                  version=instruction.version,
                  controller=self.controller(instruction.controller_id)),
                subject_url("instruction", instruction_id))

    def subcontractors(self, subcontractor_id):
        return self.subcontractor(subcontractor_id), subject_url("subcontractor",
                                                                 subcontractor_id)

    def engagements_(self, key):
        engagement_id, controller_id = key
        engagement = self.engagements[engagement_id]
        return (_("%(subcontractor)s for %(controller)s",
                  subcontractor=self.subcontractor(engagement.subcontractor_id),
                  controller=self.controller(controller_id)),
                subject_url("engagement", engagement_id))

    def incidents_(self, key):
        incident_id, controller_id = key
        return (_("%(reference)s: notice to %(controller)s",
                  reference=self.incidents[incident_id].reference,
                  controller=self.controller(controller_id)),
                subject_url("incident", incident_id))

    def requests_(self, key):
        return self.requests[key].reference, subject_url(*key)

    def return_or_deletion(self, key):
        if self._returns is None:
            self._returns = {item.key: item for item in items_of(self.snapshot)}
        return (label_of(self._returns[key], self.names).capitalize(),
                subject_url("return_or_deletion", key))

    def describe(self, area, key):
        method = {"dpas": self.dpas, "instructions": self.instructions_,
                  "subcontractors": self.subcontractors, "engagements": self.engagements_,
                  "incidents": self.incidents_, "requests": self.requests_,
                  "return_or_deletion": self.return_or_deletion}[area]
        text, url = method(key)
        return GreenRow(area, text, url)


def green_rows(snapshot, green, area=""):
    """Return the GreenRows of `area` (every area when empty), by area then by text."""
    describer = _Describer(snapshot)
    rows = []
    for name in AREAS:
        if area and name != area:
            continue
        rows.extend(sorted((describer.describe(name, key) for key in green[name]),
                           key=lambda row: row.text.casefold()))
    return tuple(rows)
