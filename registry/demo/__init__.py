"""Demo data: load the demo registry through the same importer as a customer's spreadsheet.

The document itself is built in `registry.demo.data`; this module loads it (one way in), keeps
the day its dates count from, and can start over with `--reset`.
"""

import hashlib
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app

from registry import audit
from registry.clock import local_today
from registry.db import write_transaction
from registry.demo import data as demo_data
from registry.demo.data import SPECIMENS, demo_document
from registry.extensions import database
from registry.interchange.importer import import_document
from registry.models import (
    Alert,
    AssistanceRequest,
    Attestation,
    Controller,
    Dpa,
    Engagement,
    FlowDownAgreement,
    Incident,
    IncidentMessage,
    IncidentNotice,
    Instruction,
    ReturnOrDeletion,
    Setting,
    Subcontractor,
    SubcontractorHistory,
    SubjectRequest,
    User,
)
from registry.settings.operations import save_settings
from registry.settings.store import load_settings

# Registry data that `--reset` removes, children before parents. Users, documents and the audit
# trail stay: the trail is append-only, and documents are shared by content.
RESET_ORDER = (ReturnOrDeletion, SubjectRequest, AssistanceRequest, IncidentMessage,
               IncidentNotice, Incident, Alert, Attestation, Engagement, Instruction, Dpa,
               FlowDownAgreement, Controller, SubcontractorHistory, Subcontractor)


def reset_registry():
    """Remove every registry row the demo creates; refuse while subcontractor users exist."""
    linked = User.select().where(User.subcontractor.is_null(False)).count()
    if linked:
        raise click.ClickException(
            f"{linked} user account(s) belong to subcontractors; --reset would orphan them. "
            "Deactivate and remove those accounts first, or load the demo without --reset."
        )
    with write_transaction():
        for model in (Attestation, Instruction, Dpa, FlowDownAgreement):
            model.update(supersedes=None).execute()  # RESTRICT self-references fire per row
        Subcontractor.update(parent=None).execute()
        SubcontractorHistory.update(parent=None).execute()
        for model in RESET_ORDER:
            model.delete().execute()
        audit.record("demo.reset", summary="Removed the registry data to reload the demo")


@contextmanager
def specimen_folder():
    """Yield a folder with the demo's specimen PDFs named by SHA-256, as the importer reads
    the documents of an export."""
    with tempfile.TemporaryDirectory(prefix="dpa-registry-demo-") as folder:
        for path in SPECIMENS.glob("*.pdf"):
            content = path.read_bytes()
            (Path(folder) / hashlib.sha256(content).hexdigest()).write_bytes(content)
        yield folder


def import_demo(anchor):
    """Import the demo document dated from `anchor`, with its specimen PDFs; return the report.

    The demo's dates count from its anchor: on that day, nothing in it lies in the future.
    """
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    with specimen_folder() as documents:
        return import_document(demo_document(anchor, zone), today=anchor, documents=documents)


ANCHOR_SETTING = "demo_anchor_on"

PROCESSOR_DETAILS = {
    "processor_name": "Esimerkki Verkkopalvelut Oy (Y-tunnus 1572860-0)",
    "processor_contact": "Esimerkkikatu 1, 00100 Helsinki, Finland · privacy@processor.example",
    "dpo_contact": "Data protection officer, dpo@processor.example, +358 9 123 4567",
    "security_measures": (
        "Multi-factor authentication for every account; role-based access on least privilege; "
        "encryption in transit (TLS 1.2+) and at rest; firewalls and anti-malware kept up to "
        "date; logging and monitoring of access to personal data; role-specific data "
        "protection training every year; data minimisation and scheduled erasure; risk "
        "assessments, DPIAs and legitimate-interest balancing tests where required; an "
        "internal record of processing; tested backups and incident response."
    ),
}


def fill_processor_details():
    """Give the processor's own details demo values where the admin has not set them."""
    current = load_settings()
    missing = {key: value for key, value in PROCESSOR_DETAILS.items() if not current[key]}
    if missing:
        save_settings(missing, actor="demo")


def demo_subcontractor_ids():
    """Return the ids of the demo's subcontractors, while the demo is loaded (else none).

    Their contacts are made up (addresses under the reserved `.example` domain), so the
    alerts send them no reminders until someone is given a portal account there
    (registry.alerts.operations).
    """
    if Setting.get_or_none(Setting.key == ANCHOR_SETTING) is None:
        return set()
    keys = [item["key"] for item in demo_data.subcontractors(lambda days: None)]
    return {row.id for row in Subcontractor.select(Subcontractor.id)
            .where(Subcontractor.key.in_(keys))}


def demo_anchor(reset):
    """Return the day the demo's dates count from: the first load's day, until a --reset.

    Re-running the demo on a later day must change nothing (signed DPAs are never edited in
    place); `--reset` starts over from today so that the demo never has to go stale.
    """
    stored = Setting.get_or_none(Setting.key == ANCHOR_SETTING)
    if stored and not reset:
        return date.fromisoformat(stored.value)
    return local_today()


def remember_anchor(day):
    """Store the day the loaded demo's dates count from."""
    (Setting.insert(key=ANCHOR_SETTING, value=day.isoformat())
     .on_conflict(conflict_target=[Setting.key], update={Setting.value: day.isoformat()})
     .execute())


@click.command("demo")
@click.option("--reset", is_flag=True,
              help="Remove registry data first, then load the demo dated from today.")
def demo_command(reset):
    """Load realistic demo data (idempotent: running it again changes nothing)."""
    with database.connection_context():
        if reset:
            reset_registry()
        anchor = demo_anchor(reset)
        report = import_demo(anchor)
        if report.ok:
            remember_anchor(anchor)
            fill_processor_details()
    if not report.ok:
        for problem in report.errors:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException("the demo document did not validate")
    for line in report.summary_lines():
        click.echo(line)


commands = [demo_command]
