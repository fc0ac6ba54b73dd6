"""The registry revision: triggers bump it on every committed write the engine reads, and the
shared snapshot is never stale once a write has committed, whoever made it and however late."""

import dataclasses
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from bench.harness import counting_queries
from registry import checks
from registry.compliance import RegistryFacts
from registry.db import is_sqlite, write_transaction
from registry.extensions import database
from registry.models import (
    AdequacyDecision,
    Attestation,
    Controller,
    Dpa,
    Engagement,
    FlowDownAgreement,
    RequirementOption,
    Subcontractor,
    UserSession,
)
from registry.queries import LOADERS, PART_TABLES, load_facts
from registry.revision import ENGINE_TABLES, read_revision
from tests.controllers.helpers import signed_in, text
from tests.registry_factories import (
    days,
    make_attestation,
    make_controller,
    make_dpa,
    make_engagement,
    make_instruction,
    make_subcontractor,
)

WAIT = 30  # seconds: a generous bound on a loaded machine, never reached when all is well


def _trigger_tables():
    if is_sqlite():
        query = ("SELECT DISTINCT tbl_name FROM sqlite_master "
                 "WHERE type = 'trigger' AND name LIKE ?")
    else:
        query = ("SELECT DISTINCT event_object_table FROM information_schema.triggers "
                 "WHERE trigger_name LIKE %s")
    return {table for (table,) in database.execute_sql(query, ("%bumps_revision%",))}


def _names_in_findings():
    return {finding.message.split(" has ")[0] for finding in checks.current_assessment().findings
            if finding.code == "dpa_missing"}


def test_every_engine_table_has_its_revision_triggers_after_upgrade(app):
    assert _trigger_tables() == set(ENGINE_TABLES)


def test_inserts_bulk_updates_deletes_and_manual_sql_bump_the_revision(app):
    start = read_revision()
    dpa = make_dpa()
    after_insert = read_revision()
    Dpa.update(title="Renamed").where(Dpa.id == dpa.id).execute()
    after_update = read_revision()
    database.execute_sql("UPDATE controller SET notes = 'typed by hand'")
    after_manual = read_revision()
    dpa.delete_instance()
    assert start < after_insert < after_update < after_manual < read_revision()


def test_writes_the_engine_does_not_read_and_rolled_back_writes_leave_it(app):
    controller = make_controller()
    before = read_revision()
    UserSession.delete().execute()
    try:
        with write_transaction():
            Controller.update(name="Never Oy").where(Controller.id == controller.id).execute()
            raise RuntimeError("abandon the change")
    except RuntimeError:
        pass
    assert read_revision() == before


def test_the_snapshot_is_reused_exactly_while_the_revision_holds(app):
    controller = make_controller()
    first = checks.current_snapshot()
    assert checks.current_snapshot() is first
    Controller.update(name="Renamed Oy").where(Controller.id == controller.id).execute()
    assert checks.current_snapshot() is not first
    assert _names_in_findings() == {"Renamed Oy"}


def _in_thread(app, work):
    """Run `work` in a thread with its own app context and connection; return (thread, errors)."""
    errors = []

    def run():
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                work()
            except Exception as error:  # handed to the test, which fails with it
                errors.append(error)
            finally:
                database.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_a_write_stamped_early_and_committed_late_is_on_the_next_page(app, client):
    """The fingerprint this replaces missed exactly this: writer 1 stamps first, writer 2
    stamps later and commits, the page caches, then writer 1 commits."""
    early, late = make_controller(name="Early Oy"), make_controller(name="Late Oy")
    signed_in(client)
    stamped, commit = threading.Event(), threading.Event()

    def slow_writer():
        with write_transaction():
            Controller.update(name="Slow Commit Oy").where(Controller.id == early.id).execute()
            stamped.set()
            assert commit.wait(WAIT)

    slow, slow_errors = _in_thread(app, slow_writer)
    assert stamped.wait(WAIT)
    assert _names_in_findings() == {"Early Oy", "Late Oy"}  # not committed yet: not seen
    if not is_sqlite():  # SQLite has one writer at a time: the second waits for the first
        quick, quick_errors = _in_thread(app, lambda: Controller.update(name="Quick Oy").where(
            Controller.id == late.id).execute())
        quick.join(WAIT)
        assert not quick_errors
        assert _names_in_findings() == {"Early Oy", "Quick Oy"}
    commit.set()
    slow.join(WAIT)
    assert not slow_errors
    page = text(client.get("/controllers"))
    assert "Slow Commit Oy has no signed DPA" in page
    assert "Early Oy" not in page


def test_threads_arriving_during_a_rebuild_wait_for_it_instead_of_assessing_again(
        app, monkeypatch):
    make_controller()
    checks.current_snapshot()
    make_controller(name="Second Oy")
    builds, start = [], threading.Barrier(6)
    real_assess = checks.assess_snapshot

    def counted_assess(*args):
        builds.append(threading.get_ident())
        return real_assess(*args)

    monkeypatch.setattr(checks, "assess_snapshot", counted_assess)
    seen = []

    def reader():
        start.wait(WAIT)
        seen.append(checks.current_snapshot())

    threads = [_in_thread(app, reader) for _ in range(6)]
    for thread, errors in threads:
        thread.join(WAIT)
        assert not errors
    assert len(builds) == 1
    assert len({id(snapshot) for snapshot in seen}) == 1


def test_a_write_by_another_process_is_on_the_next_page(app, client):
    controller = make_controller(name="Before Oy")
    signed_in(client)
    assert "Before Oy has no signed DPA" in text(client.get("/controllers"))
    script = (
        "import sys\n"
        "from registry.db import open_database\n"
        "db = open_database(sys.argv[1])\n"
        "db.connect()\n"
        "with db.atomic():\n"
        "    db.execute_sql(\"UPDATE controller SET name = 'Other Process Oy' WHERE id = \""
        " + sys.argv[2])\n"
    )
    subprocess.run([sys.executable, "-c", script, app.config["DATABASE_URL"], str(controller.id)],
                   check=True, timeout=WAIT)
    page = text(client.get("/controllers"))
    assert "Other Process Oy has no signed DPA" in page
    assert "Before Oy" not in page


READER = """
import sys
from registry import checks, create_app
from registry.extensions import database
from tests.conftest import base_config
app = create_app(base_config(__import__("pathlib").Path(sys.argv[2]), sys.argv[1]))
with app.app_context(), database.connection_context():
    for line in sys.stdin:
        facts = checks.current_snapshot().facts
        print(",".join(sorted(controller.name for controller in facts.controllers)), flush=True)
"""


def test_an_import_is_on_the_next_page_of_every_process(app, client, tmp_path):
    make_controller(name="Before Oy", key="c-before")
    signed_in(client)
    assert "Before Oy has no signed DPA" in text(client.get("/controllers"))
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, app.config["DATABASE_URL"], str(tmp_path / "reader")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        reader.stdin.write("before\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "Before Oy"  # its snapshot is now cached
        document = tmp_path / "rename.json"
        document.write_text(json.dumps({"format": "dpa-registry/1", "controllers": [
            {"key": "c-before", "name": "Imported Oy", "country": "FI",
             "business_id": "1572860-0"}]}))
        subprocess.run([str(Path(sys.executable).parent / "dpa-registry"), "import",
                        str(document)], check=True, timeout=WAIT, capture_output=True,
                       env={**os.environ, "REGISTRY_DATABASE_URL": app.config["DATABASE_URL"],
                            "REGISTRY_INSTANCE_PATH": str(tmp_path / "cli")})
        reader.stdin.write("after\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "Imported Oy"
    finally:
        reader.stdin.close()
        reader.wait(WAIT)
    page = text(client.get("/controllers"))
    assert "Imported Oy has no signed DPA" in page
    assert "Before Oy" not in page


def test_a_write_to_one_table_reloads_only_what_was_read_from_it(app):
    controller = make_controller(name="Before Oy")
    make_engagement(controller=controller)
    first = checks.current_snapshot()
    Controller.update(name="After Oy").where(Controller.id == controller.id).execute()
    second = checks.current_snapshot()
    assert second.facts.engagements is first.facts.engagements
    assert second.facts.dpas is first.facts.dpas
    assert [c.name for c in second.facts.controllers] == ["After Oy"]
    assert second.facts == load_facts()


def test_kept_parts_equal_a_fresh_load_after_a_write_to_any_engine_table(app):
    dpa = make_dpa()
    subcontractor = make_subcontractor()
    engagement = make_engagement(subcontractor=subcontractor, controller=dpa.controller)
    attestation = make_attestation(subcontractor=subcontractor)
    writes = [
        lambda: make_controller(),
        lambda: Dpa.update(objection_period_days=21).where(Dpa.id == dpa.id).execute(),
        lambda: make_instruction(controller=dpa.controller),
        lambda: Subcontractor.update(risk_tier="high")
        .where(Subcontractor.id == subcontractor.id).execute(),
        lambda: Engagement.update(withdrawn_on=days(-1))
        .where(Engagement.id == engagement.id).execute(),
        lambda: Attestation.update(review="rejected")
        .where(Attestation.id == attestation.id).execute(),
        lambda: FlowDownAgreement.update(terminated_on=days(-2)).execute(),
        lambda: AdequacyDecision.update(valid_until=days(-3))
        .where(AdequacyDecision.country_code == "CH").execute(),
        lambda: database.execute_sql("UPDATE attestation_type SET default_validity_months = 6"),
        lambda: RequirementOption.delete().execute(),
    ]
    checks.current_snapshot()
    for write in writes:
        write()
        assert checks.current_snapshot().facts == load_facts()


def test_every_part_of_the_facts_is_read_only_from_the_tables_it_names(app):
    make_dpa()
    parts = {field.name for field in dataclasses.fields(RegistryFacts)}
    assert set(PART_TABLES) == set(LOADERS) == parts
    for part, tables in PART_TABLES.items():
        assert set(tables) <= set(ENGINE_TABLES), part
        with counting_queries() as counter:
            LOADERS[part]()
        read = {name for sql in counter.statements
                for name in re.findall(r'(?:FROM|JOIN) "(\w+)"', sql)}
        assert read and read <= set(tables), (part, read)


def test_a_callers_open_transaction_is_read_whole(app):
    controller = make_controller(name="Before Oy")
    checks.current_snapshot()
    with write_transaction():
        Controller.update(name="Inside Oy").where(Controller.id == controller.id).execute()
        assert [c.name for c in checks.current_snapshot().facts.controllers] == ["Inside Oy"]
