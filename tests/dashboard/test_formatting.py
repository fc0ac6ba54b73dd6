"""The shared date filters: ISO date plus relative phrase, in the registry's time zone."""

from datetime import date, datetime

import pytest
from flask import render_template_string

from registry.formatting import relative_days, when

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("day", "phrase"),
    [
        (date(2026, 11, 25), "today"),
        (date(2026, 11, 26), "tomorrow"),
        (date(2026, 11, 24), "yesterday"),
        (date(2026, 12, 7), "in 12 days"),
        (date(2026, 11, 22), "3 days ago"),
        (date(2027, 3, 25), "in 4 months"),
        (date(2028, 12, 1), "in 2 years"),
        (date(2026, 8, 1), "4 months ago"),
    ],
)
def test_relative_days_reads_naturally(day, phrase):
    assert relative_days(day, TODAY) == phrase


def test_when_renders_a_time_element_with_the_iso_date(app, time_machine):
    time_machine.move_to(datetime(2026, 11, 25, 10, 0))
    html = str(when(date(2026, 12, 7)))
    assert html == ('<time datetime="2026-12-07">2026-12-07</time> '
                    '<span class="when">(in 12 days)</span>')


def test_when_shows_instants_in_the_registry_time_zone(app, time_machine):
    time_machine.move_to(datetime(2026, 11, 25, 10, 0))
    app.config["TIMEZONE"] = "Europe/Helsinki"
    html = str(when(datetime(2026, 11, 22, 22, 30)))
    assert "2026-11-23 00:30 EET</time>" in html and "(2 days ago)" in html


def test_finding_filter_labels_carry_no_code_notation():
    from registry.compliance import FINDING_CODES

    labels = [meaning.label for meaning in FINDING_CODES.values()]
    assert FINDING_CODES["dpa_clause_missing"].label == (
        "Current DPA lacks a mandatory Art. 28(3) clause")
    assert not [label for label in labels if "(:" in label or "<" in label]


def test_filters_are_registered_and_escape_text(app):
    with app.test_request_context():
        rendered = render_template_string("{{ value|when }}|{{ none|when }}", value="<b>",
                                          none=None)
    assert rendered == "&lt;b&gt;|—"
