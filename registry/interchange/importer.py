"""Importing a `dpa-registry/1` document: validate everything, then write everything or nothing.

Records are matched to stored rows by their natural key (see `kinds`), so importing the same
document twice changes nothing. The work is a fixed number of queries whatever the size of the
document: one load per record type, batched inserts, and batched updates.
"""

from collections import Counter
from dataclasses import dataclass, field

from peewee import JOIN

from registry import audit
from registry.clock import local_today
from registry.db import write_transaction
from registry.extensions import database
from registry.interchange import attachments, writer
from registry.interchange.incidents import INCIDENT_KINDS
from registry.interchange.kinds import KINDS as RECORD_KINDS
from registry.interchange.requests import REQUEST_KINDS
from registry.interchange.return_or_deletion import RETURN_OR_DELETION_KINDS
from registry.interchange.rules import DpaTerms
from registry.interchange.schema import COLLECTIONS
from registry.interchange.validate import Known, Problem, json_location, validate_document
from registry.models import AttestationType, Controller, Dpa, Subcontractor, User
from registry.seed import ensure_reference_data

ACTIONS = ("created", "updated", "unchanged")
KINDS = (*RECORD_KINDS, *INCIDENT_KINDS, *REQUEST_KINDS, *RETURN_OR_DELETION_KINDS)


@dataclass
class ImportReport:
    """What an import found and did: errors, or per record type what was created/updated."""

    dry_run: bool = False
    errors: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {kind.label: Counter() for kind in KINDS})
    # Per record type: (action, record key, names of the changed fields) in document order.
    changes: dict = field(default_factory=lambda: {kind.label: [] for kind in KINDS})

    @property
    def ok(self):
        """Return whether the document was valid (and, unless a dry run, imported)."""
        return not self.errors

    @property
    def changed(self):
        """Return whether the import created or updated any record."""
        return any(counts["created"] or counts["updated"] for counts in self.counts.values())

    @property
    def record_count(self):
        """Return how many records the document held (counted once checked)."""
        return sum(sum(counts.values()) for counts in self.counts.values())

    def summary_lines(self):
        """Return one line per record type: `controllers: 3 created, 1 updated, 10 unchanged`."""
        lines = []
        for label, counts in self.counts.items():
            parts = ", ".join(f"{counts[action]} {action}" for action in ACTIONS)
            lines.append(f"{label}: {parts}")
        return lines

    def totals(self):
        """Return {record type: {created, updated, unchanged}} as plain numbers."""
        return {
            label: {action: counts[action] for action in ACTIONS}
            for label, counts in self.counts.items()
        }


@dataclass
class Plan:
    """The writes one record type needs: rows to create and (row id, changed values) to update."""

    kind: object
    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)


def import_document(document, dry_run=False, actor=None, locate=json_location, documents=None,
                    problems=(), today=None):
    """Validate `document` whole; unless invalid or a dry run, import it in one transaction.

    `locate` names the place of a problem (JSON path, or sheet/row/field for spreadsheets);
    `documents` is the folder of document files an export made with --with-documents;
    `problems` were found while reading the file and are reported with the others;
    `today` (default: the registry's today) is the day no recorded date may lie after.
    """
    ensure_reference_data()
    report = ImportReport(dry_run=dry_run)
    validated = validate_document(document, today or local_today(), _known(), locate)
    report.errors = sorted([*problems, *validated.problems], key=lambda problem: problem.position)
    if report.errors:
        return report
    found = attachments.references(validated.records, locate)
    files = attachments.check_files(found, documents, report.errors)
    report.errors.sort(key=lambda problem: problem.position)
    # A dry run only reads: it need not queue behind (or hold up) writers.
    with database.atomic() if dry_run else write_transaction():
        plans = [_plan(kind, validated.records, report, locate) for kind in KINDS]
        if report.errors or dry_run:
            return report
        reviewer = actor.id if isinstance(actor, User) else None
        writer.apply(plans, attachments.store_files(found, files), reviewer)
        _record_audit(report, actor)
    return report


def import_source(source, dry_run=False, actor=None, documents=None, today=None):
    """Import a Source read from a JSON file, a workbook or a folder of CSV files."""
    return import_document(source.document, dry_run=dry_run, actor=actor, locate=source.locate,
                           documents=documents, problems=source.problems, today=today)


def _known():
    dpas = (
        Dpa.select(Controller.key, Dpa.version, Dpa.status, Dpa.signed_on,
                   Dpa.objection_period_days)
        .join(Controller)
        .tuples()
    )
    parent = Subcontractor.alias()
    subcontractors = (
        Subcontractor.select(Subcontractor.key, Subcontractor.status, parent.key)
        .join(parent, JOIN.LEFT_OUTER, on=(Subcontractor.parent == parent.id))
        .tuples()
    )
    parents, offboarded = {}, set()
    for key, status, parent_key in subcontractors:
        parents[key] = parent_key
        if status == "offboarded":
            offboarded.add(key)
    return Known(
        attestation_types={kind.code: kind for kind in AttestationType.select()},
        controllers=frozenset(key for (key,) in Controller.select(Controller.key).tuples()),
        subcontractors=frozenset(parents),
        dpas={(controller, version): DpaTerms(status, signed_on, days)
              for controller, version, status, signed_on, days in dpas},
        subcontractor_parents=parents,
        offboarded_subcontractors=frozenset(offboarded),
    )


def _plan(kind, records, report, locate):
    plan = Plan(kind)
    existing = kind.load()
    counts, changes = report.counts[kind.label], report.changes[kind.label]
    for key, values, index in kind.items(records):
        row = existing.get(key)
        if row is None:
            plan.creates.append((key, values))
            counts["created"] += 1
            changes.append(("created", _label(key), ()))
            continue
        changed = {column: value for column, value in values.items() if row.get(column) != value}
        if not changed:
            counts["unchanged"] += 1
        elif kind.is_frozen(row) and set(changed) & set(kind.frozen):
            position = (COLLECTIONS.index(kind.collection), index)
            report.errors.append(
                Problem(locate(kind.collection, index), kind.frozen_reason(key), position)
            )
        else:
            plan.updates.append((row["id"], key, changed))
            counts["updated"] += 1
            changes.append(("updated", _label(key), tuple(sorted(changed))))
    return plan


def _label(key):
    if not isinstance(key, tuple):
        return str(key)
    return " / ".join("" if part is None else str(part) for part in key)


def _record_audit(report, actor):
    created = sum(counts["created"] for counts in report.counts.values())
    updated = sum(counts["updated"] for counts in report.counts.values())
    audit.record(
        "registry.import",
        subject=("registry", "import"),
        summary=f"Imported a dpa-registry/1 document: {created} created, {updated} updated",
        details={"counts": report.totals()},
        actor=actor,
    )
