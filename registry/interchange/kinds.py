"""How each record type maps onto its table: natural key, compared columns, existing rows.

A kind turns validated records into `(key, values)` pairs and loads the rows already stored
under the same keys with one query, so the importer can tell created, updated and unchanged
apart without a query per row. Values use real column names, except the references a file
expresses by key (`dpa_version`, `document`), which `columns()` resolves to ids when writing.
"""

from collections import Counter

from peewee import JOIN

from registry.interchange.schema import ALL_CONTROLLERS, DESCRIPTION_KEYS
from registry.models import (
    CLAUSE_KEYS,
    Attestation,
    AttestationType,
    Controller,
    Document,
    Dpa,
    Engagement,
    FlowDownAgreement,
    Instruction,
    Subcontractor,
)

CLAUSE_COLUMNS = tuple(f"clause_{key}" for key in CLAUSE_KEYS)
DOCUMENT_FIELDS = ("document", "approval_document", "certificate")


def _clause_values(clauses):
    return {f"clause_{key}": clauses[key] for key in CLAUSE_KEYS}


def _document_values(record, *names):
    # A document is only ever linked by an import, never unlinked: an absent reference is
    # "not part of this file", so it is left out of the comparison.
    return {name: record[name]["sha256"] for name in names if record.get(name)}


def _documents_joined(query, model, column="document"):
    """Return the rows of `query` with `column` holding the linked document's SHA-256.

    The document's id stays available as `<column>_id` (for exports with document files).
    """
    alias = Document.alias()
    query = query.switch(model).join(
        alias, JOIN.LEFT_OUTER, on=(getattr(model, column) == alias.id)
    )
    rows = list(query.select_extend(alias.sha256.alias(f"{column}_sha256")).dicts())
    for row in rows:
        row[f"{column}_id"] = row[column]
        row[column] = row.pop(f"{column}_sha256")
    return rows


class Kind:
    """One record type of the report (controllers, dpas, flow_down_agreements ...)."""

    label = ""
    collection = ""
    model = None
    plain = ()
    frozen = ()

    def is_frozen(self, existing):
        """Return whether the stored row's `frozen` columns may no longer change."""
        return bool(self.frozen)

    def frozen_reason(self, key):
        """Return why a frozen row may not change."""
        return "already imported with different content"

    def values(self, record):
        """Return the compared column values of a validated record."""
        return {column: record[column] for column in self.plain}

    def items(self, records):
        """Yield (natural key, values, record index) for every validated record of this kind."""
        for record in records[self.collection]:
            yield self.key(record), self.values(record), record["_index"]

    def columns(self, key, values, ids):
        """Return the columns to write for `values`, with references resolved through `ids`."""
        row = dict(values)
        for name in DOCUMENT_FIELDS:
            if name in row:
                row[name] = ids["documents"][row[name]]
        return row


class ControllerKind(Kind):
    label = collection = "controllers"
    model = Controller
    plain = ("name", "business_id", "country", "language", "privacy_contacts", "services",
             "ordered_via", "status", "ended_on", "notes")

    def key(self, record):
        return record["key"]

    def load(self):
        return {row["key"]: row for row in Controller.select().dicts()}

    def columns(self, key, values, ids):
        return {"key": key, **values}


class SubcontractorKind(Kind):
    label = collection = "subcontractors"
    model = Subcontractor
    plain = ("name", "business_id", "country", "language", "website", "status", "offboarded_on",
             "purpose", "data_categories", "processing_countries", "transfer_mechanism",
             "tia_on", "handles_card_data", "breach_notice_hours", "contacts")

    def key(self, record):
        return record["key"]

    def values(self, record):
        return {**super().values(record), "risk_tier": record["tier"], "parent": record["parent"]}

    def load(self):
        rows = list(Subcontractor.select().dicts())
        keys = {row["id"]: row["key"] for row in rows}
        for row in rows:
            row["parent"] = keys.get(row["parent"])  # compared and exported by key
        return {row["key"]: row for row in rows}

    def columns(self, key, values, ids):
        row = {"key": key, **values}
        if row.get("parent") is not None:
            # A parent created by the same import has no id yet: writer.link_parents sets it.
            row["parent"] = ids.get("subcontractors", {}).get(row["parent"])
        return row


class DpaKind(Kind):
    label = collection = "dpas"
    model = Dpa
    plain = ("title", "status", "signed_on", "effective_from", "expires_on", "review_due_on",
             "terminated_on", "return_or_deletion", "subprocessor_authorisation",
             "objection_period_days", "breach_notice_hours", "dsr_forward_days",
             "return_or_deletion_days")
    frozen = ("title", "signed_on", "effective_from", "subprocessor_authorisation",
              "objection_period_days", "breach_notice_hours", "dsr_forward_days",
              "return_or_deletion_days",
              *CLAUSE_COLUMNS, *DESCRIPTION_KEYS)

    def is_frozen(self, existing):
        return existing["status"] != "draft"

    def frozen_reason(self, key):
        return (f"DPA version {key[1]} of {key[0]!r} is no longer a draft: its terms are not "
                "edited in place; add a new version")

    def key(self, record):
        return (record["controller"], record["version"])

    def values(self, record):
        return {**super().values(record), **_clause_values(record["clauses"]),
                **record["description"], **_document_values(record, "document")}

    def load(self):
        query = Dpa.select(Dpa, Controller.key.alias("controller_key")).join(Controller)
        rows = _documents_joined(query, Dpa)
        return {(row["controller_key"], row["version"]): row for row in rows}

    def columns(self, key, values, ids):
        row = super().columns(key, values, ids)
        return {"controller": ids["controllers"][key[0]], "version": key[1], **row}


class InstructionKind(Kind):
    label = collection = "instructions"
    model = Instruction
    plain = ("text", "source", "received_on", "effective_from", "acknowledged_on", "dpa_version")
    frozen = ("text", "source", "received_on", "effective_from")

    def frozen_reason(self, key):
        return (f"instruction {key[1]!r} version {key[2]} of {key[0]!r} already exists with "
                "different content: instructions are never edited in place; add a new version")

    def key(self, record):
        return (record["controller"], record["title"], record["version"])

    def values(self, record):
        return {**super().values(record), **_document_values(record, "document")}

    def load(self):
        linked = Dpa.alias()
        query = (
            Instruction.select(Instruction, Controller.key.alias("controller_key"),
                               linked.version.alias("dpa_version"))
            .join(Controller)
            .switch(Instruction)
            .join(linked, JOIN.LEFT_OUTER, on=(Instruction.dpa == linked.id))
        )
        rows = _documents_joined(query, Instruction)
        return {(row["controller_key"], row["title"], row["version"]): row for row in rows}

    def columns(self, key, values, ids):
        row = super().columns(key, values, ids)
        controller_id = ids["controllers"][key[0]]
        dpa_version = row.pop("dpa_version", None)
        if dpa_version is not None:
            row["dpa"] = ids["dpas"][(controller_id, dpa_version)]
        elif "dpa_version" in values:
            row["dpa"] = None
        return {"controller": controller_id, "title": key[1], "version": key[2], **row}


class FlowDownKind(Kind):
    label = "flow_down_agreements"
    collection = "subcontractors"
    model = FlowDownAgreement
    plain = ("terminated_on",)

    def items(self, records):
        for record in records["subcontractors"]:
            agreements = list(record["earlier_flow_downs"])
            if record["flow_down"]:
                agreements.append(record["flow_down"])
            for agreement in agreements:
                values = {"terminated_on": agreement["terminated_on"],
                          **_clause_values(agreement["clauses"]),
                          **_document_values(agreement, "document")}
                yield (record["key"], agreement["signed_on"]), values, record["_index"]

    def load(self):
        query = (
            FlowDownAgreement.select(
                FlowDownAgreement, Subcontractor.key.alias("subcontractor_key")
            ).join(Subcontractor)
        )
        rows = _documents_joined(query, FlowDownAgreement)
        return {(row["subcontractor_key"], row["signed_on"]): row for row in rows}

    def columns(self, key, values, ids):
        row = super().columns(key, values, ids)
        return {"subcontractor": ids["subcontractors"][key[0]], "signed_on": key[1], **row}


class EngagementKind(Kind):
    label = collection = "engagements"
    model = Engagement
    plain = ("on_list_at_signing", "proposed_on", "notified_on", "objection_deadline",
             "notice_recipients", "objected_on", "objection_note", "approved_on", "withdrawn_on",
             "notes")

    def key(self, record):
        return (record["subcontractor"], record["controller"])

    def values(self, record):
        return {**super().values(record), **_document_values(record, "approval_document")}

    def load(self):
        query = (
            Engagement.select(Engagement, Subcontractor.key.alias("subcontractor_key"),
                              Controller.key.alias("controller_key"))
            .join(Subcontractor)
            .switch(Engagement)
            .join(Controller, JOIN.LEFT_OUTER)
        )
        rows = _documents_joined(query, Engagement, "approval_document")
        return {
            (row["subcontractor_key"], row["controller_key"] or ALL_CONTROLLERS): row
            for row in rows
        }

    def columns(self, key, values, ids):
        row = super().columns(key, values, ids)
        controller = None if key[1] == ALL_CONTROLLERS else ids["controllers"][key[1]]
        return {"subcontractor": ids["subcontractors"][key[0]], "controller": controller, **row}


class AttestationKind(Kind):
    """Attestations, matched by (subcontractor, type, reference, issued_on, period_end).

    Two attestations may share those (an upload refused and sent again): the n-th record with a
    key in a document matches the n-th stored row with it, in the order rows were created.
    """

    label = collection = "attestations"
    model = Attestation
    plain = ("issuer", "scope", "standard_version", "period_start", "valid_until",
             "bridge_letter_until", "review", "rejection_reason")

    def key(self, record):
        return (record["subcontractor"], record["type"], record["reference"],
                record["issued_on"], record["period_end"])

    def items(self, records):
        occurrences = Counter()
        for key, values, index in super().items(records):
            occurrences[key] += 1
            yield (*key, occurrences[key]), values, index

    def values(self, record):
        return {**super().values(record), **_document_values(record, "document")}

    def load(self):
        query = (
            Attestation.select(Attestation, Subcontractor.key.alias("subcontractor_key"),
                               AttestationType.code.alias("type_code"))
            .join(Subcontractor)
            .switch(Attestation)
            .join(AttestationType)
            .order_by(Attestation.id)
        )
        occurrences = Counter()
        loaded = {}
        for row in _documents_joined(query, Attestation):
            key = (row["subcontractor_key"], row["type_code"], row["reference"],
                   row["issued_on"], row["period_end"])
            occurrences[key] += 1
            loaded[(*key, occurrences[key])] = row
        return loaded

    def columns(self, key, values, ids):
        row = super().columns(key, values, ids)
        return {"subcontractor": ids["subcontractors"][key[0]],
                "attestation_type": ids["types"][key[1]], "reference": key[2],
                "issued_on": key[3], "period_end": key[4], **row}


KINDS = (ControllerKind(), SubcontractorKind(), FlowDownKind(), DpaKind(), InstructionKind(),
         EngagementKind(), AttestationKind())
