"""Validating a whole `dpa-registry/1` document: every problem, with its location and a reason.

`validate_document` never stops at the first problem. It returns the records normalised into
Python values (dates, ints, full clause mappings) together with the list of problems, so the
importer can refuse the whole document when the list is not empty.
"""

from dataclasses import dataclass, field

from registry.business_id import y_tunnus_error
from registry.interchange.fields import parse_value
from registry.interchange.schema import ALL_CONTROLLERS, COLLECTIONS, FORMAT, RECORD_FIELDS


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (`dpas[3].signed_on`) and why, in plain words.

    `position` (section, record index) only orders the problems as the input is laid out.
    """

    location: str
    reason: str
    position: tuple = field(default=(), compare=False, repr=False)

    def __str__(self):
        return f"{self.location}: {self.reason}"


def json_location(collection, index, path=None):
    """Return the location of a field in a JSON document, e.g. `dpas[3].signed_on`."""
    base = f"{collection}[{index}]"
    return f"{base}.{path}" if path else base


@dataclass(frozen=True)
class TableLocator:
    """Locations in spreadsheets or CSV files: `sheet dpas, row 5, field signed_on`."""

    rows: dict
    unit: str = "sheet"

    def __call__(self, collection, index, path=None):
        where = f"sheet {collection}" if self.unit == "sheet" else f"{collection}.csv"
        rows = self.rows.get(collection, [])
        row = rows[index] if index < len(rows) else index + 2
        text = f"{where}, row {row}"
        return f"{text}, field {path}" if path else text


@dataclass
class Known:
    """What the database already holds, so a document may refer to it."""

    attestation_types: frozenset = frozenset()
    controllers: frozenset = frozenset()
    subcontractors: frozenset = frozenset()
    dpa_versions: frozenset = frozenset()


@dataclass
class Validated:
    """Normalised records per collection (each with its `_index` in the input) and problems."""

    records: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


def validate_document(document, known=None, locate=json_location):
    """Check a whole document; return its normalised records and every problem found."""
    known = known or Known()
    result = Validated(records={name: [] for name in COLLECTIONS})
    if not isinstance(document, dict):
        result.problems.append(Problem("document", "must be a JSON object", (-1,)))
        return result
    if document.get("format") != FORMAT:
        result.problems.append(
            Problem("format", f"must be {FORMAT!r}, not {document.get('format')!r}", (-1,))
        )
    for name in sorted(set(document) - set(COLLECTIONS) - {"format"}):
        result.problems.append(Problem(name, "unknown section", (-1,)))
    for collection in COLLECTIONS:
        items = document.get(collection) or []
        if not isinstance(items, list):
            result.problems.append(
                Problem(collection, "must be a list of records", (COLLECTIONS.index(collection),))
            )
            continue
        for index, item in enumerate(items):
            record = _parse_record(collection, index, item, locate, result.problems)
            if record is not None:
                result.records[collection].append(record)
    _check_references(result, known, locate)
    result.problems.sort(key=lambda problem: problem.position)
    return result


def _problem(locate, collection, index, path, reason):
    position = (COLLECTIONS.index(collection), index)
    return Problem(locate(collection, index, path), reason, position)


def _parse_record(collection, index, item, locate, problems):
    if not isinstance(item, dict):
        problems.append(_problem(locate, collection, index, None, "must be an object"))
        return None
    fields = RECORD_FIELDS[collection]
    names = {f.name for f in fields}
    for unknown in sorted(set(item) - names):
        problems.append(_problem(locate, collection, index, unknown, "unknown field"))
    record = {"_index": index}

    def report(path, reason):
        problems.append(_problem(locate, collection, index, path, reason))

    for spec in fields:
        record[spec.name] = parse_value(spec, item.get(spec.name), spec.name, report)
    _check_record(collection, record, report)
    return record


def _check_record(collection, record, report):
    if collection == "controllers" and record.get("key") == ALL_CONTROLLERS:
        report("key", f"{ALL_CONTROLLERS!r} is reserved: in engagements it means every controller")
    if collection in {"controllers", "subcontractors"}:
        business_id = record.get("business_id")
        if business_id and record.get("country") == "FI":
            reason = y_tunnus_error(business_id)
            if reason:
                report("business_id", f"invalid Y-tunnus {business_id!r}: {reason}")
    if collection == "attestations":
        start, end = record.get("period_start"), record.get("period_end")
        if start and end and start > end:
            report("period_end", "the period ends before it starts")


# The fields that identify a record; attestations may share theirs (see kinds.AttestationKind).
UNIQUE_KEYS = {
    "controllers": ("key",),
    "subcontractors": ("key",),
    "dpas": ("controller", "version"),
    "instructions": ("controller", "title", "version"),
    "engagements": ("subcontractor", "controller"),
}


def _duplicate_reason(collection, record, first):
    names = UNIQUE_KEYS[collection]
    label = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    shown = ", ".join(str(record[name]) for name in names)
    return f"duplicate {label} ({shown}), first at {first}"


def _check_references(result, known, locate):
    records = result.records
    pools = {
        "controllers": known.controllers | {r["key"] for r in records["controllers"] if r["key"]},
        "subcontractors": known.subcontractors
        | {r["key"] for r in records["subcontractors"] if r["key"]},
        "dpa_versions": known.dpa_versions
        | {(r["controller"], r["version"]) for r in records["dpas"]},
        "types": known.attestation_types,
    }
    for collection, items in records.items():
        seen = {}
        for record in items:
            for path, reason in _reference_problems(collection, record, pools):
                result.problems.append(
                    _problem(locate, collection, record["_index"], path, reason)
                )
            if collection not in UNIQUE_KEYS:
                continue
            key = tuple(record[name] for name in UNIQUE_KEYS[collection])
            if key in seen:
                reason = _duplicate_reason(collection, record, locate(collection, seen[key]))
                result.problems.append(
                    _problem(locate, collection, record["_index"], None, reason)
                )
            else:
                seen[key] = record["_index"]
        if collection == "subcontractors":
            _check_flow_down_dates(items, locate, result.problems)


def _reference_problems(collection, record, pools):
    for spec in RECORD_FIELDS[collection]:
        value = record.get(spec.name)
        if value is None:
            continue
        if spec.kind == "ref":
            everyone = collection == "engagements" and value == ALL_CONTROLLERS
            if value not in pools[spec.target] and not everyone:
                yield spec.name, f"unknown {spec.target.removesuffix('s')} key {value!r}"
        if spec.kind == "type" and value not in pools["types"]:
            yield spec.name, f"unknown attestation type {value!r}"
    version = record.get("dpa_version") if collection == "instructions" else None
    if version is not None and (record["controller"], version) not in pools["dpa_versions"]:
        yield "dpa_version", f"no DPA version {version} for controller {record['controller']!r}"


def _check_flow_down_dates(items, locate, problems):
    for record in items:
        agreements = ([record["flow_down"]] if record["flow_down"] else []) + list(
            record["earlier_flow_downs"]
        )
        signed = [agreement["signed_on"] for agreement in agreements]
        if len(signed) != len(set(signed)):
            problems.append(_problem(locate, "subcontractors", record["_index"], "flow_down",
                                     "two flow-down agreements with the same signed_on"))
