"""The engine's finding messages: one English template per message variant, and its parameters.

A rule never composes a sentence: it names a variant and its values (`say("dpa_expired",
version=2, controller="Aurora Oy", date=...)`), and the finding carries both. `render` with no
translator gives the English every machine reader gets and keeps getting (`Finding.message`:
the CLI, JSON, the REST API, webhooks, CSV exports); `registry.i18n.finding_text` renders the
same variant in the reader's language for pages, PDF reports and e-mails.

Values are names and references (shown as they are), numbers, dates and instants (formatted for
the reader), an Art. 28(3) clause (`Clause`, its label in the reader's words), a fixed phrase
(a nested `Phrase`, translated too) or a list of those (`Words`). Everything is a tuple, so a
finding stays hashable.

Pure: no Flask, no flask_babel. `N_` only marks a template for `pybabel extract` (one of
Babel's default keywords), so that the catalogues hold every sentence the engine can say.
"""

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import NamedTuple

from registry.compliance.facts import CLAUSE_KEYS, DESCRIPTION_ELEMENTS


def N_(text: str) -> str:
    """Mark `text` for translation without translating it (it is looked up when shown)."""
    return text


class Phrase(NamedTuple):
    """A message variant (a key of TEMPLATES) with its parameters as sorted (name, value)."""

    key: str
    params: tuple[tuple[str, object], ...] = ()


class Clause(NamedTuple):
    """An Art. 28(3) clause, by its key (registry.compliance.facts.ClauseKey)."""

    key: str


class Words(NamedTuple):
    """Values shown as a list: "FI, SE" or two problems joined by "; "."""

    items: tuple
    separator: str = ", "


TEMPLATES: dict[str, str] = {
    # registry/compliance/dpas.py
    "dpa_missing": N_("%(controller)s has no signed DPA in force"),
    "dpa_missing_upcoming": N_(
        "%(controller)s has no signed DPA in force; DPA v%(version)s starts on %(date)s"),
    "dpa_clause_missing": N_(
        "DPA v%(version)s with %(controller)s lacks clause (%(letter)s) %(clause)s"),
    "dpa_description_missing": N_(
        "DPA v%(version)s with %(controller)s does not set out its %(elements)s (Art. 28(3))"),
    "dpa_document_missing": N_(
        "DPA v%(version)s with %(controller)s is recorded as signed but its signed copy is not "
        "attached"),
    "dpa_expired": N_("DPA v%(version)s with %(controller)s expired on %(date)s"),
    "dpa_expiring": N_("DPA v%(version)s with %(controller)s expires on %(date)s"),
    "dpa_review_due": N_("DPA v%(version)s with %(controller)s was due for review on %(date)s"),
    # The Art. 28(3) description's parts (DESCRIPTION_ELEMENTS), listed in dpa_description_missing.
    "element_subject_matter": N_("subject matter"),
    "element_duration": N_("duration"),
    "element_nature_and_purpose": N_("nature and purpose"),
    "element_personal_data_types": N_("type of personal data"),
    "element_data_subject_categories": N_("categories of data subjects"),
    # registry/compliance/instructions.py
    "instruction_unacknowledged": N_(
        'Instruction "%(title)s" v%(version)s from %(controller)s was due for acknowledgement '
        "on %(date)s"),
    # registry/compliance/attestations.py
    "attestation_awaiting_review": N_("%(type)s of %(subcontractor)s awaits review"),
    "attestation_undatable_valid_until": N_(
        "%(type)s of %(subcontractor)s cannot be dated (its valid-until date is missing), so it "
        "counts for nothing"),
    "attestation_undatable_period_end": N_(
        "%(type)s of %(subcontractor)s cannot be dated (its period end is missing), so it counts "
        "for nothing"),
    "attestation_undatable_issue_date": N_(
        "%(type)s of %(subcontractor)s cannot be dated (its issue date is missing), so it counts "
        "for nothing"),
    "attestation_expired": N_("%(type)s of %(subcontractor)s expired on %(date)s"),
    "attestation_expiring": N_("%(type)s of %(subcontractor)s expires on %(date)s"),
    "attestation_bridge_letter_needed": N_(
        "%(type)s of %(subcontractor)s (period ending %(period_end)s) needs a current bridge "
        "letter since %(date)s"),
    "attestation_bridge_letter_expiring": N_(
        "The bridge letter for %(type)s of %(subcontractor)s ends on %(date)s"),
    # registry/compliance/requirements.py
    "requirement_missing": N_("%(subcontractor)s has no accepted attestation for %(group)s"),
    "requirement_expired": N_(
        "%(subcontractor)s has no current attestation for %(group)s (the last one lapsed on "
        "%(date)s)"),
    # registry/compliance/subcontractors.py
    "flow_down_missing": N_("%(subcontractor)s has no signed flow-down agreement (Art. 28(4))"),
    "flow_down_clause_missing": N_(
        "Flow-down agreement with %(subcontractor)s lacks clause (%(letter)s) %(clause)s"),
    "flow_down_document_missing": N_(
        "The flow-down agreement with %(subcontractor)s is recorded as signed but its signed "
        "copy is not attached"),
    "breach_notice_unrecorded": N_(
        "%(subcontractor)s has no breach-notice promise on record, but the DPA with "
        "%(controller)s requires notice within %(hours)s h"),
    "breach_notice_too_long": N_(
        "%(subcontractor)s reports breaches within %(promised)s h, but the DPA with "
        "%(controller)s requires %(hours)s h"),
    # registry/compliance/transfers.py
    "transfer_mechanism_missing": N_(
        "%(subcontractor)s processes data in %(countries)s without a transfer mechanism"),
    "transfer_mechanism_invalid": N_("%(subcontractor)s (%(countries)s): %(problem)s"),
    "transfer_scc_2010": N_(
        "the 2010 standard contractual clauses are invalid since 27 Dec 2022"),
    "transfer_scc_module_2": N_(
        "module 2 of the 2021 standard contractual clauses is for controller-to-processor "
        "transfers; a sub-processor needs module 3"),
    "transfer_tia_missing": N_(
        "transfer impact assessment missing for the 2021 standard contractual clauses"),
    "transfer_no_adequacy": N_("no adequacy decision in force for %(countries)s"),
    "transfer_us_only_dpf": N_(
        "the US is covered only through the Data Privacy Framework, a transfer mechanism of its "
        "own"),
    "transfer_dpf_uncertified": N_(
        "the Data Privacy Framework needs an accepted, current DPF certification of the "
        "subcontractor"),
    "transfer_dpf_only_us": N_(
        "the Data Privacy Framework covers only the US, and %(countries)s has no adequacy "
        "decision in force"),
    "transfer_unknown_mechanism": N_("%(mechanism)s is not a recognised transfer mechanism"),
    # registry/compliance/engagements.py
    "engagement_objected": N_("%(controller)s objected to %(subcontractor)s on %(date)s"),
    "engagement_awaiting_approval": N_(
        "%(subcontractor)s for %(controller)s is awaiting written approval"),
    "engagement_objection_period": N_(
        "Objection period for %(subcontractor)s for %(controller)s runs until %(date)s"),
    "engagement_late_objection": N_(
        "%(controller)s objected to %(subcontractor)s on %(date)s, after its objection period "
        "ended on %(deadline)s"),
    "engagement_approval_undocumented": N_(
        "The written approval of %(subcontractor)s for %(controller)s is recorded without its "
        "document"),
    "engagement_unauthorised_no_dpa": N_(
        "%(subcontractor)s is active but not authorised for %(controller)s (no DPA in force "
        "authorises it)"),
    "engagement_unauthorised_proposed": N_(
        "%(subcontractor)s is active but not authorised for %(controller)s (engagement "
        "proposed)"),
    "engagement_unauthorised_notified": N_(
        "%(subcontractor)s is active but not authorised for %(controller)s (engagement "
        "notified)"),
    # registry/compliance/chains.py
    "engagement_chain_unauthorised": N_(
        "%(subcontractor)s processes %(controller)s's data through %(parent)s, but "
        "%(controller)s has not authorised it (Art. 28(2))"),
    # registry/compliance/incidents.py
    "incident_notice_overdue": N_(
        "Incident %(reference)s: the notice to %(controller)s was due by %(when)s (its DPA: "
        "%(hours)s h) and has not been sent"),
    "incident_notice_overdue_default": N_(
        "Incident %(reference)s: the notice to %(controller)s was due by %(when)s (its DPA sets "
        "no hours: without undue delay, Art. 33(2)) and has not been sent"),
    "incident_notice_due": N_(
        "Incident %(reference)s: notify %(controller)s by %(when)s (its DPA: %(hours)s h)"),
    "incident_notice_due_default": N_(
        "Incident %(reference)s: notify %(controller)s by %(when)s (its DPA sets no hours: "
        "without undue delay, Art. 33(2))"),
    "incident_subcontractor_late": N_(
        "%(subcontractor)s reported incident %(reference)s %(taken)s h after becoming aware of "
        "it; it promises to report within %(promised)s h"),
    # A controller the facts do not name (incidents, requests).
    "controller_number": N_("controller %(id)s"),
    # registry/compliance/requests.py
    "subject_request_due_forward": N_(
        "Data-subject request: forward %(type)s request %(reference)s to %(controller)s by "
        "%(when)s"),
    "subject_request_due_identify": N_(
        "Data-subject request: identify the controller of %(type)s request %(reference)s and "
        "forward it by %(when)s"),
    "subject_request_overdue_forward": N_(
        "Data-subject request: forward %(type)s request %(reference)s to %(controller)s; it was "
        "due by %(when)s"),
    "subject_request_overdue_identify": N_(
        "Data-subject request: identify the controller of %(type)s request %(reference)s and "
        "forward it; it was due by %(when)s"),
    # The rights (REQUEST_TYPES) as the request sentences name them.
    "request_type_access": N_("access"),
    "request_type_rectification": N_("rectification"),
    "request_type_erasure": N_("erasure"),
    "request_type_restriction": N_("restriction"),
    "request_type_portability": N_("portability"),
    "request_type_objection": N_("objection"),
    "assistance_due": N_(
        "Answer assistance request %(reference)s (%(kind)s) from %(controller)s by %(date)s"),
    "assistance_overdue": N_(
        "Assistance request %(reference)s (%(kind)s) from %(controller)s was due on %(date)s and "
        "is not answered"),
    # The kinds of assistance (ASSISTANCE_KINDS), lower case inside the sentences.
    "assistance_kind_dpia": N_("data protection impact assessment"),
    "assistance_kind_prior_consultation": N_("prior consultation"),
    "assistance_kind_security_information": N_("security information"),
    "assistance_kind_audit": N_("audit or inspection"),
    # registry/compliance/return_or_deletion.py: a subcontractor's duty, or the processor's own
    # ("We"), to return or delete a controller's (or every controller's) data.
    "return_or_deletion_due": N_(
        "%(holder)s must %(verb)s %(whose)s data by %(date)s and certify it (%(reason)s)"),
    "return_or_deletion_due_we": N_(
        "We must %(verb)s %(whose)s data by %(date)s and certify it (%(reason)s)"),
    "return_or_deletion_overdue": N_(
        "%(holder)s had to %(verb)s %(whose)s data by %(date)s; %(waiting)s (%(reason)s)"),
    "return_or_deletion_overdue_we": N_(
        "We had to %(verb)s %(whose)s data by %(date)s; %(waiting)s (%(reason)s)"),
    "whose_every_controller": N_("every controller's"),
    "whose_controller": N_("%(controller)s's"),
    "whose_unknown_controller": N_("the controller's"),
    "verb_return": N_("return"),
    "verb_delete": N_("delete"),
    "verb_return_then_delete": N_("return and then delete"),
    "verb_return_or_delete": N_("return or delete"),
    "reason_contract_ended": N_("the contract ended on %(date)s"),
    "reason_engagement_withdrawn": N_("the engagement was withdrawn on %(date)s"),
    "reason_subcontractor_offboarded": N_("it was offboarded on %(date)s"),
    "waiting_certificate_recorded": N_("a certificate waits to be marked completed"),
    "waiting_no_certificate": N_("no certificate is recorded"),
}

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")
NAMES: dict[str, frozenset[str]] = {
    key: frozenset(_PLACEHOLDER.findall(template)) for key, template in TEMPLATES.items()
}
# The English label of each clause, as the engine always wrote it.
_CLAUSE_LABELS = {str(key): key.label for key in CLAUSE_KEYS}
# A DPA's description part by its English label (DpaFacts.missing_description gives labels).
ELEMENT_KEYS = {label: f"element_{key}" for key, label in DESCRIPTION_ELEMENTS}


def say(key: str, **params: object) -> Phrase:
    """Return the message variant `key` with its parameters; every placeholder needs a value."""
    expected = NAMES[key]
    if expected != params.keys():
        raise ValueError(f"message {key!r} takes {', '.join(sorted(expected)) or 'nothing'}, "
                         f"not {', '.join(sorted(params)) or 'nothing'}")
    return Phrase(key, tuple(sorted(params.items())))


def controller_name(names: dict[int, str], controller_id: int) -> str | Phrase:
    """Return a controller's name, or "controller 12" when the facts do not name it."""
    name = names.get(controller_id)
    return name if name is not None else say("controller_number", id=controller_id)


def when(moment: datetime) -> str:
    """Return an instant as the engine writes it in English: "2026-12-03 14:00 EET"."""
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzname() or ''}".rstrip()


def english_value(value: object) -> str:
    """Return a plain value as the English message shows it (dates ISO 8601)."""
    if isinstance(value, Clause):
        return _CLAUSE_LABELS.get(value.key, value.key)
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _identity(text: str) -> str:
    return text


def render(
    phrase: Phrase,
    translate: Callable[[str], str] = _identity,
    value: Callable[[object], str] = english_value,
) -> str:
    """Return `phrase` as text: in English by default, else through `translate` (a gettext)
    with plain values formatted by `value`; nested phrases and lists are rendered alike."""
    return translate(TEMPLATES[phrase.key]) % {
        name: _part(part, translate, value) for name, part in phrase.params
    }


def _part(part: object, translate: Callable[[str], str], value: Callable[[object], str]) -> str:
    if isinstance(part, Phrase):
        return render(part, translate, value)
    if isinstance(part, Words):
        return part.separator.join(_part(item, translate, value) for item in part.items)
    return value(part)


def to_data(phrase: Phrase | None) -> dict | None:
    """Return `phrase` as JSON-ready data (an alert stores its finding's message so)."""
    if phrase is None:
        return None
    return {"key": phrase.key, "params": [[name, _value_data(value)]
                                          for name, value in phrase.params]}


def from_data(data: dict | None) -> Phrase | None:
    """Return the phrase `to_data` gave; None for None or a variant this version lacks."""
    if not data or data.get("key") not in TEMPLATES:
        return None
    try:
        return Phrase(data["key"], tuple((name, _data_value(value))
                                         for name, value in data["params"]))
    except (KeyError, TypeError, ValueError):
        return None


def _value_data(value: object) -> object:
    if isinstance(value, Phrase):
        return {"phrase": to_data(value)}
    if isinstance(value, Clause):
        return {"clause": value.key}
    if isinstance(value, Words):
        return {"words": [_value_data(item) for item in value.items],
                "separator": value.separator}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat(), "zone": getattr(value.tzinfo, "key", None)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return value


def _data_value(data: object) -> object:
    if not isinstance(data, dict):
        return data
    if "phrase" in data:
        phrase = from_data(data["phrase"])
        if phrase is None:
            raise ValueError("unknown message variant")
        return phrase
    if "clause" in data:
        return Clause(data["clause"])
    if "words" in data:
        return Words(tuple(_data_value(item) for item in data["words"]), data["separator"])
    if "datetime" in data:
        moment = datetime.fromisoformat(data["datetime"])
        if data.get("zone"):
            from zoneinfo import ZoneInfo

            moment = moment.astimezone(ZoneInfo(data["zone"]))
        return moment
    return date.fromisoformat(data["date"])
