"""The engine's finding messages in Finnish and Swedish (issue 21): variants with values, the
English unchanged for machines, every variant used by a rule, pages showing the translation."""

import ast
import html
import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from registry.checks import current_snapshot
from registry.clock import local_today
from registry.compliance import findings as findings_module
from registry.compliance.messages import (
    ELEMENT_KEYS,
    NAMES,
    TEMPLATES,
    Clause,
    Phrase,
    Words,
    from_data,
    render,
    say,
    to_data,
)
from registry.i18n import finding_text, in_language
from registry.models import Controller, Subcontractor
from tests.auth_helpers import login
from tests.factories import make_user

RULES = Path(findings_module.__file__).parent
RULE_MODULES = ("dpas", "attestations", "subcontractors", "engagements", "instructions",
                "requests", "incidents", "chains", "transfers", "return_or_deletion",
                "requirements")
HELSINKI = ZoneInfo("Europe/Helsinki")
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
# A date as each language's pages write it in a finding (Babel's medium format).
LOCALE_DATES = {"fi": r"\b\d{1,2}\.\d{1,2}\.\d{4}\b", "sv": r"\b\d{1,2} [a-zé]{3,4}\.? \d{4}\b"}
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


# -- the English every machine reader gets is the engine's old text ------------------------------

# Each variant with values, and the sentence the rules composed before variants existed.
OLD_ENGLISH = [
    (say("dpa_missing", controller="Aurora Oy"), "Aurora Oy has no signed DPA in force"),
    (say("dpa_missing_upcoming", controller="Aurora Oy", version=2, date=date(2027, 1, 1)),
     "Aurora Oy has no signed DPA in force; DPA v2 starts on 2027-01-01"),
    (say("dpa_clause_missing", version=3, controller="Aurora Oy", letter="c",
         clause=Clause("security_art32")),
     "DPA v3 with Aurora Oy lacks clause (c) security measures (Art. 32)"),
    (say("dpa_description_missing", version=1, controller="Aurora Oy",
         elements=Words((Phrase("element_duration"), Phrase("element_nature_and_purpose")))),
     "DPA v1 with Aurora Oy does not set out its duration, nature and purpose (Art. 28(3))"),
    (say("instruction_unacknowledged", title="Backups", version=2, controller="Aurora Oy",
         date=date(2026, 12, 7)),
     'Instruction "Backups" v2 from Aurora Oy was due for acknowledgement on 2026-12-07'),
    (say("attestation_undatable_period_end", type="SOC 2 Type II", subcontractor="Pilvi Oy"),
     "SOC 2 Type II of Pilvi Oy cannot be dated (its period end is missing), so it counts for "
     "nothing"),
    (say("transfer_mechanism_invalid", subcontractor="Cloud Inc", countries=Words(("IN", "US")),
         problem=Words((say("transfer_no_adequacy", countries=Words(("IN",))),
                        say("transfer_us_only_dpf")), "; ")),
     "Cloud Inc (IN, US): no adequacy decision in force for IN; the US is covered only through "
     "the Data Privacy Framework, a transfer mechanism of its own"),
    (say("transfer_unknown_mechanism", mechanism=repr("pigeon")),
     "'pigeon' is not a recognised transfer mechanism"),
    (say("engagement_unauthorised_notified", subcontractor="Pilvi Oy", controller="Aurora Oy"),
     "Pilvi Oy is active but not authorised for Aurora Oy (engagement notified)"),
    (say("incident_notice_due_default", reference="INC-1", controller="Aurora Oy",
         when=datetime(2026, 12, 3, 14, 5, tzinfo=HELSINKI)),
     "Incident INC-1: notify Aurora Oy by 2026-12-03 14:05 EET (its DPA sets no hours: without "
     "undue delay, Art. 33(2))"),
    (say("subject_request_overdue_identify", type=say("request_type_erasure"), reference="DSR-7",
         when=datetime(2026, 12, 1, 9, 0, tzinfo=HELSINKI)),
     "Data-subject request: identify the controller of erasure request DSR-7 and forward it; it "
     "was due by 2026-12-01 09:00 EET"),
    (say("assistance_due", reference="AR-2", kind=say("assistance_kind_dpia"),
         controller=say("controller_number", id=12), date=date(2026, 12, 9)),
     "Answer assistance request AR-2 (data protection impact assessment) from controller 12 by "
     "2026-12-09"),
    (say("return_or_deletion_overdue_we", verb=say("verb_return_then_delete"),
         whose=say("whose_controller", controller="Aurora Oy"), date=date(2026, 11, 30),
         waiting=say("waiting_no_certificate"),
         reason=say("reason_contract_ended", date=date(2026, 10, 31))),
     "We had to return and then delete Aurora Oy's data by 2026-11-30; no certificate is "
     "recorded (the contract ended on 2026-10-31)"),
]


@pytest.mark.parametrize(("phrase", "english"), OLD_ENGLISH)
def test_the_english_rendering_is_the_engine_s_old_sentence(phrase, english):
    assert render(phrase) == english
    finding = findings_module.make_finding("dpa_missing", 1, phrase, controller_id=1)
    assert finding.message == english
    assert (finding.message_key, finding.params) == (phrase.key, phrase.params)
    hash(finding)  # a finding stays hashable with its values


def test_a_variant_refuses_missing_or_unknown_values():
    with pytest.raises(ValueError, match="takes controller"):
        say("dpa_missing")
    with pytest.raises(ValueError, match="not controller, extra"):
        say("dpa_missing", controller="Aurora Oy", extra=1)


@pytest.mark.parametrize(("phrase", "english"), OLD_ENGLISH)
def test_a_stored_variant_comes_back_equal(phrase, english):
    import json

    again = from_data(json.loads(json.dumps(to_data(phrase))))
    assert again == phrase and render(again) == english


def test_an_unknown_stored_variant_is_none():
    assert from_data({"key": "no_such_variant", "params": []}) is None
    assert from_data(None) is None


# -- every variant belongs to a rule, every rule speaks in variants ------------------------------

def _say_calls():
    """Every `say(...)` call and every string constant of the rule modules."""
    keys, patterns, constants = set(), [], set()
    for name in RULE_MODULES:
        tree = ast.parse((RULES / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say"):
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant):
                keys.add(first.value)
            elif isinstance(first, ast.JoinedStr):
                # f"engagement_unauthorised_{reason}": the literal parts, anything between
                patterns.append("".join(re.escape(part.value) if isinstance(part, ast.Constant)
                                        else r"\w+" for part in first.values))
            else:  # a variant chosen from a table (return_or_deletion's _VERBS, _REASONS)
                patterns.append(None)
    return keys, patterns, constants


def test_every_variant_a_rule_names_has_a_template():
    keys, patterns, _constants = _say_calls()
    assert keys - set(TEMPLATES) == set()
    for pattern in filter(None, patterns):
        assert any(re.fullmatch(pattern, key) for key in TEMPLATES), pattern


def _helper_keys():
    """The variants messages.py's own helpers name, for the rules that use those helpers: a
    controller without a name (`controller_name`), a DPA's description parts (`ELEMENT_KEYS`)."""
    used = set()
    for name in RULE_MODULES:
        tree = ast.parse((RULES / f"{name}.py").read_text())
        used |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module == "registry.compliance.messages" for alias in node.names}
    keys = set(ELEMENT_KEYS.values()) if "ELEMENT_KEYS" in used else set()
    tree = ast.parse((RULES / "messages.py").read_text())
    for function in tree.body:
        if isinstance(function, ast.FunctionDef) and function.name in used:
            keys |= {node.args[0].value for node in ast.walk(function)
                     if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "say"}
    return keys


def test_every_template_is_used_by_some_rule():
    keys, patterns, constants = _say_calls()
    keys |= _helper_keys()
    stray = [key for key in TEMPLATES
             if key not in keys and key not in constants
             and not any(re.fullmatch(pattern, key) for pattern in filter(None, patterns))]
    assert stray == []


def test_no_rule_passes_a_sentence_of_its_own_to_make_finding():
    for name in RULE_MODULES:
        tree = ast.parse((RULES / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "make_finding":
                message = node.args[2] if len(node.args) > 2 else None
                assert not isinstance(message, ast.Constant | ast.JoinedStr | ast.BinOp), (
                    f"{name}.py:{node.lineno} composes its message")


def test_every_template_is_a_catalogue_entry_in_both_languages():
    from babel.messages.pofile import read_po

    from registry import catalogues

    for language in ("fi", "sv"):
        with catalogues.catalogue_path("staff", language).open("rb") as po:
            catalogue = read_po(po)
        for template in TEMPLATES.values():
            entry = catalogue.get(template)
            assert entry is not None and entry.string and not entry.fuzzy, (language, template)
            names = set(re.findall(r"%\((\w+)\)s", entry.string))
            assert names == set(re.findall(r"%\((\w+)\)s", template)), (language, template)
    assert all(NAMES[key] == set(re.findall(r"%\((\w+)\)s", text))
               for key, text in TEMPLATES.items())


# -- shown in the reader's language --------------------------------------------------------------

@pytest.mark.parametrize(("language", "expected"), [
    ("fi", "Alihankkija Cloud Inc (IN, US): maista IN ei ole voimassa olevaa "
           "riittävyyspäätöstä; Yhdysvallat on katettu vain Data Privacy Framework "
           "-järjestelyn kautta, joka on oma siirtomekanisminsa"),
    ("sv", "Cloud Inc (IN, US): inget gällande beslut om adekvat skyddsnivå för IN; USA "
           "omfattas endast genom Data Privacy Framework, som är en egen överföringsmekanism"),
])
def test_nested_phrases_are_translated_too(app, language, expected):
    finding = findings_module.make_finding("transfer_mechanism_invalid", 1, OLD_ENGLISH[6][0],
                                           subcontractor_id=1)
    with app.test_request_context(), in_language(language):
        assert finding_text(finding) == expected
    with app.test_request_context(), in_language("en"):
        assert finding_text(finding) == finding.message


@pytest.mark.parametrize(("language", "expected"), [
    ("fi", "Rekisterinpitäjän Aurora Oy käsittelysopimuksesta v3 puuttuu ehto (c) "),
    ("sv", "Biträdesavtal v3 med Aurora Oy saknar klausul (c) "),
])
def test_dates_instants_and_clauses_follow_the_locale(app, language, expected):
    clause = findings_module.make_finding("dpa_clause_missing:security_art32", 1,
                                          OLD_ENGLISH[2][0], controller_id=1)
    expiring = findings_module.make_finding(
        "dpa_expiring", 1, say("dpa_expiring", version=3, controller="Aurora Oy",
                               date=date(2026, 12, 24)), controller_id=1)
    notice = findings_module.make_finding("incident_notice_due", 1, OLD_ENGLISH[9][0],
                                          controller_id=1)
    with app.test_request_context(), in_language(language):
        text = finding_text(clause)
        assert text.startswith(expected)
        assert "security measures" not in text  # the clause label is the language's own
        assert finding_text(expiring).endswith(
            {"fi": "päättyy 24.12.2026", "sv": "upphör att gälla den 24 dec. 2026"}[language])
        assert {"fi": "3.12.2026 14.05 EET", "sv": "3 dec. 2026 14:05 EET"}[language] in (
            finding_text(notice))


def test_a_finding_known_only_by_its_stored_english_is_shown_as_it_was(app):
    old = findings_module.make_finding("dpa_missing", 1, "Aurora Oy has no signed DPA in force")
    assert old.phrase is None
    with app.test_request_context(), in_language("fi"):
        assert finding_text(old) == "Aurora Oy has no signed DPA in force"
        assert finding_text({"phrase": None, "message": "stored"}) == "stored"


@pytest.fixture
def demo_client(app, runner, make_client):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return login(make_client(), make_user("admin"))


def _text(response):
    assert response.status_code == 200
    return html.unescape(" ".join(TAGS.sub(" ", response.get_data(as_text=True)).split()))


def _check_page(app, client, url, findings, language):
    """The findings the English page shows appear translated on the `language` page."""
    english = _text(client.get(url, headers={"Accept-Language": "en"}))
    shown = [finding for finding in findings if finding.message in english]
    assert shown, f"{url} shows no finding"
    page = _text(client.get(url, headers={"Accept-Language": language}))
    dated = 0
    for finding in shown:
        with app.test_request_context(), in_language(language):
            translated = finding_text(finding)
        assert translated != finding.message
        assert finding.message not in page, (url, finding.message)
        assert translated in page, (url, translated)
        if any(isinstance(value, date) for _name, value in finding.params):
            dated += 1
            assert re.search(LOCALE_DATES[language], translated), translated
            assert not ISO_DATE.search(translated), translated
    return dated


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_pages_with_findings_show_them_in_the_page_s_language(app, demo_client, language):
    assessment = current_snapshot(local_today()).assessment
    findings = assessment.findings
    assert findings and all(finding.message_key for finding in findings)
    dated = _check_page(app, demo_client, "/dashboard", findings, language)
    worst = max((row for row in Controller.select()),
                key=lambda row: len(assessment.findings_for_controller(row.id)))
    dated += _check_page(app, demo_client, f"/controllers/{worst.id}",
                         assessment.findings_for_controller(worst.id), language)
    subcontractor = max((row for row in Subcontractor.select()),
                        key=lambda row: len(assessment.findings_for_subcontractor(row.id)))
    dated += _check_page(app, demo_client, f"/subcontractors/{subcontractor.id}",
                         assessment.findings_for_subcontractor(subcontractor.id), language)
    assert dated, "no dated finding was checked"


def test_instants_keep_their_zone_when_stored(app):
    moment = datetime(2026, 3, 29, 1, 30, tzinfo=UTC).astimezone(HELSINKI)
    phrase = say("incident_notice_due", reference="X", controller="Y", when=moment, hours=24)
    assert render(from_data(to_data(phrase))) == render(phrase)
