"""Validating a whole `dpa-registry/1` document: every problem, with its location and a reason.

`validate_document` never stops at the first problem. It returns the records normalised into
Python values (dates, ints, full clause mappings) together with the list of problems, so the
importer can refuse the whole document when the list is not empty.
"""

from dataclasses import dataclass, field

from registry.interchange import rules
from registry.interchange.fields import parse_value, short_name, shown
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
    """What the database already holds, so a document may refer to it.

    `attestation_types` maps a type code to its AttestationType (how evidence of it is dated);
    `dpas` maps (controller key, version) to its `rules.DpaTerms`; `subcontractor_parents` maps
    a subcontractor's key to its parent's key (None: engaged directly), and
    `offboarded_subcontractors` holds the keys of the offboarded ones.
    """

    attestation_types: dict = field(default_factory=dict)
    controllers: frozenset = frozenset()
    subcontractors: frozenset = frozenset()
    dpas: dict = field(default_factory=dict)
    subcontractor_parents: dict = field(default_factory=dict)
    offboarded_subcontractors: frozenset = frozenset()


@dataclass
class Validated:
    """Normalised records per collection (each with its `_index` in the input) and problems."""

    records: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


def validate_document(document, today, known=None, locate=json_location):
    """Check a whole document; return its normalised records and every problem found.

    Dates that record what happened are checked against `today`.
    """
    known = known or Known()
    result = Validated(records={name: [] for name in COLLECTIONS})
    if not isinstance(document, dict):
        result.problems.append(Problem("document", "must be a JSON object", (-1,)))
        return result
    if document.get("format") != FORMAT:
        result.problems.append(
            Problem("format", f"must be {FORMAT!r}, not {shown(document.get('format'))}", (-1,))
        )
    for name in sorted(set(document) - set(COLLECTIONS) - {"format"}):
        result.problems.append(Problem(short_name(name), "unknown section", (-1,)))
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
                _check_rules(collection, record, known, today, locate, result.problems)
                result.records[collection].append(record)
    _check_references(result, known, locate)
    _check_chains(result, known, locate)
    _check_objection_deadlines(result, known, locate)
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
        problems.append(_problem(locate, collection, index, short_name(unknown), "unknown field"))
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


def _check_rules(collection, record, known, today, locate, problems):
    """Apply the rules forms share (registry.validation), then store values as forms do."""
    for path, message in rules.record_problems(collection, record, known.attestation_types,
                                               today):
        problems.append(_problem(locate, collection, record["_index"], path, message))
    rules.normalise(collection, record)


def _check_chains(result, known, locate):
    records = [record for record in result.records["subcontractors"] if record["key"]]
    for record, message in rules.chain_problems(records, known.subcontractor_parents,
                                                known.offboarded_subcontractors):
        result.problems.append(
            _problem(locate, "subcontractors", record["_index"], "parent", message)
        )


def _check_objection_deadlines(result, known, locate):
    terms = dict(known.dpas)
    terms.update({(record["controller"], record["version"]): rules.dpa_terms(record)
                  for record in result.records["dpas"]})
    periods = rules.ObjectionPeriods(terms)
    for record in result.records["engagements"]:
        for path, message in rules.engagement_problems(record, periods):
            result.problems.append(
                _problem(locate, "engagements", record["_index"], path, message)
            )


# The fields that identify a record; attestations may share theirs (see kinds.AttestationKind).
UNIQUE_KEYS = {
    "controllers": ("key",),
    "subcontractors": ("key",),
    "dpas": ("controller", "version"),
    "instructions": ("controller", "title", "version"),
    "engagements": ("subcontractor", "controller"),
    "incidents": ("reference",),
    "subject_requests": ("reference",),
    "assistance_requests": ("reference",),
    "return_or_deletion": ("end", "controller", "subcontractor"),
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
        "dpa_versions": set(known.dpas)
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
            everyone = collection in ("engagements", "return_or_deletion") and (
                value == ALL_CONTROLLERS)
            if value not in pools[spec.target] and not everyone:
                yield spec.name, f"unknown {spec.target.removesuffix('s')} key {shown(value)}"
        if spec.kind == "type" and value not in pools["types"]:
            yield spec.name, f"unknown attestation type {shown(value)}"
    if collection == "incidents":
        for section in ("notices", "messages"):
            for index, item in enumerate(record[section]):
                if item["controller"] is not None and item["controller"] not in pools[
                        "controllers"]:
                    yield (f"{section}[{index}].controller",
                           f"unknown controller key {shown(item['controller'])}")
    version = record.get("dpa_version") if collection == "instructions" else None
    if version is not None and (record["controller"], version) not in pools["dpa_versions"]:
        yield "dpa_version", (f"no DPA version {version} for controller "
                              f"{shown(record['controller'])}")


def _check_flow_down_dates(items, locate, problems):
    for record in items:
        agreements = ([record["flow_down"]] if record["flow_down"] else []) + list(
            record["earlier_flow_downs"]
        )
        signed = [agreement["signed_on"] for agreement in agreements]
        if len(signed) != len(set(signed)):
            problems.append(_problem(locate, "subcontractors", record["_index"], "flow_down",
                                     "two flow-down agreements with the same signed_on"))
