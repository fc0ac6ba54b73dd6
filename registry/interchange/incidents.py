"""The `incidents` section: incidents, their notices and the notices' e-mails as record kinds.

An incident is matched by its `reference`; a notice by reference + controller key; an e-mail
by reference + controller key + its place among that controller's e-mails (the n-th in a
document matches the n-th stored, in the order they were created). Instants are written in
ISO 8601 with the offset of REGISTRY_TIMEZONE and stored in UTC, so an export imports back
to the same values, to the microsecond.
"""

from collections import Counter

from peewee import JOIN

from registry.incidents.operations import naive_utc
from registry.incidents.queries import aware
from registry.interchange.kinds import Kind
from registry.interchange.schema import INCIDENT_FIELDS, MESSAGE_FIELDS, NOTICE_FIELDS
from registry.models import Controller, Incident, IncidentMessage, IncidentNotice, Subcontractor

INSTANTS = ("aware_at", "subcontractor_aware_at", "closed_at", "due_at", "notified_at",
            "sent_at")


def _stored(values):
    return {name: naive_utc(value) if name in INSTANTS else value
            for name, value in values.items()}


class IncidentKind(Kind):
    label = collection = "incidents"
    model = Incident
    plain = tuple(field.name for field in INCIDENT_FIELDS
                  if field.name not in ("reference", "notices", "messages"))

    def key(self, record):
        return record["reference"]

    def values(self, record):
        return _stored(super().values(record))

    def load(self):
        query = (Incident.select(Incident, Subcontractor.key.alias("subcontractor_key"))
                 .join(Subcontractor, JOIN.LEFT_OUTER))
        rows = list(query.dicts())
        for row in rows:
            row["subcontractor"] = row.pop("subcontractor_key")  # compared and exported by key
        return {row["reference"]: row for row in rows}

    def columns(self, key, values, ids):
        row = {"reference": key, **values}
        if "subcontractor" in row:
            row["subcontractor"] = (ids["subcontractors"][row["subcontractor"]]
                                    if row["subcontractor"] is not None else None)
        return row


class IncidentNoticeKind(Kind):
    label = "incident_notices"
    collection = "incidents"
    model = IncidentNotice
    plain = ("breach_notice_hours", "due_at", "notified_at", "recipients")

    def items(self, records):
        for record in records["incidents"]:
            for notice in record["notices"]:
                values = _stored({name: notice[name] for name in self.plain})
                yield (record["reference"], notice["controller"]), values, record["_index"]

    def load(self):
        query = (IncidentNotice.select(IncidentNotice, Incident.reference,
                                       Controller.key.alias("controller_key"))
                 .join(Incident).switch(IncidentNotice).join(Controller))
        return {(row["reference"], row["controller_key"]): row for row in query.dicts()}

    def columns(self, key, values, ids):
        return {"incident": ids["incidents"][key[0]],
                "controller": ids["controllers"][key[1]], **values}


class IncidentMessageKind(Kind):
    label = "incident_messages"
    collection = "incidents"
    model = IncidentMessage
    plain = ("kind", "text", "recipients", "sent_at", "message_id", "error")

    def items(self, records):
        for record in records["incidents"]:
            occurrences = Counter()
            for message in record["messages"]:
                occurrences[message["controller"]] += 1
                key = (record["reference"], message["controller"],
                       occurrences[message["controller"]])
                values = _stored({name: message[name] for name in self.plain})
                yield key, values, record["_index"]

    def load(self):
        query = (IncidentMessage.select(IncidentMessage, Incident.reference,
                                        Controller.key.alias("controller_key"))
                 .join(IncidentNotice).join(Incident)
                 .switch(IncidentNotice).join(Controller)
                 .order_by(IncidentMessage.id))
        occurrences, loaded = Counter(), {}
        for row in query.dicts():
            pair = (row["reference"], row["controller_key"])
            occurrences[pair] += 1
            loaded[(*pair, occurrences[pair])] = row
        return loaded

    def columns(self, key, values, ids):
        return {"notice": ids["incident_notices"][(key[0], key[1])], **values}


INCIDENT_KINDS = (IncidentKind(), IncidentNoticeKind(), IncidentMessageKind())


def incident_ids():
    """Return {reference: id} of every incident (the writer's ids after incidents are made)."""
    return dict(Incident.select(Incident.reference, Incident.id).tuples())


def incident_notice_ids():
    """Return {(incident reference, controller key): notice id}."""
    query = (IncidentNotice.select(Incident.reference, Controller.key, IncidentNotice.id)
             .join(Incident).switch(IncidentNotice).join(Controller).tuples())
    return {(reference, key): notice_id for reference, key, notice_id in query}


def _plain(value):
    if hasattr(value, "isoformat"):
        return aware(value).isoformat()
    return list(value) if isinstance(value, list) else value


def incident_records(loaded):
    """Return the `incidents` section of an export, sorted by reference (notices by controller
    key, e-mails oldest first)."""
    notices, messages = {}, {}
    for (reference, controller), row in sorted(loaded["incident_notices"].items()):
        notices.setdefault(reference, []).append(
            {field.name: controller if field.name == "controller" else _plain(row[field.name])
             for field in NOTICE_FIELDS})
    for (reference, controller, _n), row in sorted(loaded["incident_messages"].items(),
                                                   key=lambda item: item[1]["id"]):
        messages.setdefault(reference, []).append(
            {field.name: controller if field.name == "controller" else _plain(row[field.name])
             for field in MESSAGE_FIELDS})
    records = []
    for reference, row in sorted(loaded["incidents"].items()):
        record = {}
        for field in INCIDENT_FIELDS:
            if field.name == "notices":
                record["notices"] = notices.get(reference, [])
            elif field.name == "messages":
                record["messages"] = messages.get(reference, [])
            else:
                record[field.name] = _plain(row[field.name])
        records.append(record)
    return records
