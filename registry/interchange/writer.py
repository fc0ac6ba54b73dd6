"""Writing an import plan: batched inserts and updates, then the `supersedes` version chains.

Called by the importer inside its transaction. Ids of rows created earlier in the same import
(controllers before their DPAs, DPAs before their instructions) are read back with one query per
table, never one per row.
"""

from collections import defaultdict

from peewee import AutoField, Case, Cast, Value

from registry.clock import local_today
from registry.db import is_sqlite
from registry.extensions import database
from registry.interchange.incidents import incident_ids, incident_notice_ids
from registry.models import (
    AttestationType,
    Controller,
    Dpa,
    FlowDownAgreement,
    Instruction,
    Subcontractor,
    utcnow,
)
from registry.subcontractors.history import dated_values, record_before_change, touches_dated_facts

BATCH_SIZE = 500
UPDATE_BATCH_SIZE = 200


def apply(plans, document_ids, reviewer=None):
    """Carry out every plan in order (parents before children).

    `reviewer` (a user id or None) is recorded as the reviewer of attestations whose review the
    import sets to accepted or rejected.
    """
    now = utcnow()
    ids = {
        "reviewer": reviewer,
        "documents": document_ids,
        "types": dict(AttestationType.select(AttestationType.code, AttestationType.id).tuples()),
    }
    for plan in plans:
        _insert(plan, ids, now)
        # Updates never change a key; they may refer to a row this plan just created.
        _refresh_ids(plan.kind.label, ids)
        _update(plan, ids, now)
        if plan.creates and plan.kind.model is Subcontractor:
            link_parents(plan, ids, now)
        if plan.creates and plan.kind.label in CHAINS:
            _chain(plan, ids, now)


def _refresh_ids(label, ids):
    if label == "controllers":
        ids["controllers"] = dict(Controller.select(Controller.key, Controller.id).tuples())
    elif label == "subcontractors":
        ids["subcontractors"] = dict(
            Subcontractor.select(Subcontractor.key, Subcontractor.id).tuples()
        )
    elif label == "incidents":
        ids["incidents"] = incident_ids()
    elif label == "incident_notices":
        ids["incident_notices"] = incident_notice_ids()
    elif label == "dpas":
        ids["dpas"] = {
            (controller_id, version): dpa_id
            for dpa_id, controller_id, version in Dpa.select(
                Dpa.id, Dpa.controller, Dpa.version
            ).tuples()
        }


def _insert(plan, ids, now):
    rows = []
    for key, values in plan.creates:
        row = plan.kind.columns(key, values, ids)
        row["created_at"] = row["updated_at"] = now
        _stamp_review(row, ids, now)
        rows.append(row)
    # Only optional document links differ between rows; one column set keeps the ids in
    # document order, which the attestations' occurrence matching relies on.
    insert_rows(plan.kind.model, rows)


def insert_rows(model, rows):
    """Insert many rows (dicts by field name) with one prepared statement run for each row.

    Faster than a multi-row INSERT for tens of thousands of rows: the statement is built once
    (no SQL text of megabytes to generate and parse) and the driver streams the rows, in a
    pipeline on PostgreSQL. Fields a row leaves out get their model default, as in create().
    """
    if not rows:
        return
    fields = [field for field in model._meta.sorted_fields if not isinstance(field, AutoField)]
    defaults = {field.name: field.default for field in fields if field.default is not None}
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    marks = ", ".join([database.obj.param] * len(fields))
    # Identifiers come from the model, every value is a bound parameter.
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'  # noqa: S608
    values = [
        tuple(field.db_value(_value(row, field.name, defaults)) for field in fields)
        for row in rows
    ]
    cursor = database.cursor()
    for start in range(0, len(values), BATCH_SIZE * 10):
        cursor.executemany(sql, values[start:start + BATCH_SIZE * 10])


def _value(row, name, defaults):
    if name in row:
        return row[name]
    default = defaults.get(name)
    return default() if callable(default) else default


def _update(plan, ids, now):
    model = plan.kind.model
    groups = defaultdict(list)
    for row_id, key, changed in plan.updates:
        row = plan.kind.columns(key, changed, ids)
        # Only the changed columns are written; the key columns columns() adds stay as stored.
        row = {name: value for name, value in row.items() if _is_changed(name, changed)}
        row["updated_at"] = now
        _stamp_review(row, ids, now)
        groups[tuple(sorted(row))].append((row_id, row))
    if model is Subcontractor:
        _keep_history(row_id for names, rows in groups.items() if touches_dated_facts(names)
                      for row_id, _ in rows)
    for names, rows in groups.items():
        bulk_update(model, names, rows)


def link_parents(plan, ids, now):
    """Point the subcontractors this import created at their parents, once all have ids."""
    subcontractors = ids["subcontractors"]
    linked = [
        (subcontractors[key], {"parent": subcontractors[values["parent"]], "updated_at": now})
        for key, values in plan.creates if values.get("parent") is not None
    ]
    bulk_update(Subcontractor, ("parent", "updated_at"), linked)


def _keep_history(subcontractor_ids):
    """Keep the dated facts the import is about to change (registry.subcontractors.history)."""
    subcontractor_ids = list(subcontractor_ids)
    if not subcontractor_ids:
        return
    rows = Subcontractor.select().where(Subcontractor.id.in_(subcontractor_ids))
    record_before_change({row.id: dated_values(row) for row in rows}, local_today())


def bulk_update(model, names, rows):
    """Set columns `names` of many rows, given as (id, {name: value}), a batch per statement."""
    fields = [model._meta.fields[name] for name in names]
    for start in range(0, len(rows), UPDATE_BATCH_SIZE):
        batch = rows[start:start + UPDATE_BATCH_SIZE]
        changes = {field: _case(model, field, batch) for field in fields}
        model.update(changes).where(model.id.in_([row_id for row_id, _ in batch])).execute()


def _case(model, field, batch):
    case = Case(model.id, [(row_id, Value(field.db_value(row[field.name]), unpack=False))
                           for row_id, row in batch])
    if is_sqlite():
        return case
    # PostgreSQL types the parameters of a CASE as text; say what the column holds.
    return Cast(case, database.obj.field_types.get(field.field_type, field.field_type))


def _stamp_review(row, ids, now):
    # Setting a review outcome by import is the importing user's review, made now.
    if row.get("review") in {"accepted", "rejected"}:
        row["reviewed_at"] = now
        row["reviewed_by"] = ids["reviewer"]


def _is_changed(name, changed):
    return name in changed or (name == "dpa" and "dpa_version" in changed)


def _dpa_group(key, ids):
    return ids["controllers"][key[0]]


def _instruction_group(key, ids):
    return (ids["controllers"][key[0]], key[1])


def _flow_down_group(key, ids):
    return ids["subcontractors"][key[0]]


def flow_down_order(signed_on):
    """Return the sort key that orders flow-down agreements oldest first."""
    # An unsigned agreement is the one still being negotiated: the newest of its chain.
    return (signed_on is None, signed_on)


CHAINS = {
    "dpas": (Dpa, (Dpa.controller,), Dpa.version, _dpa_group, lambda version: version),
    "instructions": (Instruction, (Instruction.controller, Instruction.title),
                     Instruction.version, _instruction_group, lambda version: version),
    "flow_down_agreements": (FlowDownAgreement, (FlowDownAgreement.subcontractor,),
                             FlowDownAgreement.signed_on, _flow_down_group, flow_down_order),
}


def _chain(plan, ids, now):
    """Point each version at the one before it, in the chains this import added to."""
    model, group_fields, order_field, group_of, order_of = CHAINS[plan.kind.label]
    touched = {group_of(key, ids) for key, _ in plan.creates}
    chains = defaultdict(list)
    query = model.select(model.id, model.supersedes, order_field, *group_fields).tuples()
    for row_id, supersedes_id, order, *group in query:
        group = group[0] if len(group) == 1 else tuple(group)
        if group in touched:
            chains[group].append((order_of(order), row_id, supersedes_id))
    relinked = []
    for rows in chains.values():
        rows.sort()
        previous = None
        for _, row_id, supersedes_id in rows:
            if supersedes_id != previous:
                relinked.append((row_id, {"supersedes": previous, "updated_at": now}))
            previous = row_id
    bulk_update(model, ("supersedes", "updated_at"), relinked)
