"""Malformed JSON is refused with one clear line: duplicates, deep nesting, oversized text."""

import json
from datetime import date

import pytest

from registry.interchange.sources import UnreadableFile, read_json
from registry.interchange.validate import validate_document

TODAY = date(2026, 11, 25)


def refusal(content):
    """Return the one-line reason `read_json` gives for refusing `content` (text)."""
    with pytest.raises(UnreadableFile) as refused:
        read_json("registry.json", content.encode())
    message = str(refused.value)
    assert "\n" not in message
    return message


def problems(document):
    """Return the problems of a parsed document, as the import reports them."""
    return [str(problem) for problem in validate_document(document, TODAY).problems]


def test_a_section_named_twice_is_refused_not_replaced():
    content = '{"format": "dpa-registry/1", "controllers": [], "controllers": []}'
    assert refusal(content) == ("registry.json: the member name 'controllers' appears twice in "
                                "one object; each name may appear once")


def test_a_field_named_twice_in_a_record_is_refused():
    content = ('{"format": "dpa-registry/1", "controllers": [{"key": "c-a", "name": "A", '
               '"name": "B"}]}')
    assert "the member name 'name' appears twice" in refusal(content)


def test_nesting_deeper_than_the_format_is_refused_with_its_place():
    content = '{"format": "dpa-registry/1",\n "dpas": [{"clauses": {"a": [[[1]]]}}]}'
    assert refusal(content) == ("registry.json nests deeper than the format's 6 levels at "
                                "line 2, column 31")


def test_any_depth_is_refused_without_exhausting_the_parser():
    assert "nests deeper than the format's 6 levels" in refusal("[" * 200_000 + "]" * 200_000)


def test_brackets_inside_text_do_not_count_as_nesting():
    name = 'A [[[[[[[[ "quoted" {{{{{{ Oy'
    content = json.dumps({"format": "dpa-registry/1", "controllers": [{"key": "c-a",
                                                                       "name": name}]})
    assert read_json("registry.json", content.encode()).document["controllers"][0]["name"] == name


@pytest.mark.parametrize(("content", "reason"), [
    ('{"format": NaN}', "NaN is not a JSON value"),
    ('{"format": ' + "9" * 5000 + "}", "is not valid JSON"),
    ('{"format": "dpa-registry/1",', "is not valid JSON: Expecting property name"),
])
def test_other_malformed_json_is_one_line(content, reason):
    assert reason in refusal(content)


@pytest.mark.parametrize(("section", "record", "reason"), [
    ("controllers", {"key": "c-a", "name": "N" * 201, "country": "SE"},
     "controllers[0].name: longer than 200 characters (201)"),
    ("controllers", {"key": "c-a", "name": "A", "country": "SE", "notes": "n" * 5001},
     "controllers[0].notes: longer than 5000 characters (5,001)"),
    ("controllers", {"key": "c-a", "name": "A", "country": "SE", "notes": "n" * 40_000_000},
     "controllers[0].notes: longer than 5000 characters (40,000,000)"),
    ("controllers", {"key": "c-a", "name": "A", "country": "SE", "services": ["s"] * 101},
     "controllers[0].services: more than 100 items (101)"),
    ("controllers", {"key": "c-a", "name": "A", "country": "SE", "services": ["s" * 201]},
     "controllers[0].services: an item is longer than 200 characters (201)"),
    ("instructions", {"controller": "c-a", "title": "T", "text": "t" * 20_001,
                      "received_on": "2026-01-01"},
     "instructions[0].text: longer than 20000 characters (20,001)"),
    ("subcontractors", {"key": "s-a", "name": "A", "country": "SE", "breach_notice_hours": 721},
     "subcontractors[0].breach_notice_hours: must be at most 720"),
])
def test_text_and_numbers_over_their_limits_are_refused(section, record, reason):
    document = {"format": "dpa-registry/1", section: [record]}
    if section == "instructions":
        document["controllers"] = [{"key": "c-a", "name": "A", "country": "SE"}]
    assert problems(document) == [reason]


def test_a_huge_unknown_name_or_value_is_quoted_short():
    document = {"format": "dpa-registry/1", "controllers": [
        {"key": "c-a", "name": "A", "country": "SE", "status": "x" * 10_000, "y" * 10_000: 1},
    ]}
    reported = problems(document)
    assert len(reported) == 2
    assert all(len(line) < 200 for line in reported)
    assert reported[0].startswith("controllers[0].yyyy") and reported[0].endswith(
        "…: unknown field")
    assert reported[1].startswith("controllers[0].status: bad value 'xxxx")
