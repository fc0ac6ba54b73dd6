"""Building the engine's facts from database rows without the keyword constructor."""

from datetime import date

import pytest

from registry.compliance.facts import ControllerFacts, EngagementFacts, from_rows

ROW = (7, 3, 11, True, None, date(2026, 11, 2), date(2026, 12, 2), None, None, None, True,
       True, date(2026, 11, 2))


def test_a_row_makes_the_same_fact_as_the_keyword_constructor():
    (built,) = from_rows(EngagementFacts, [ROW])
    assert built == EngagementFacts(
        id=7, subcontractor_id=3, controller_id=11, on_list_at_signing=True,
        notified_on=date(2026, 11, 2), objection_deadline=date(2026, 12, 2),
        approval_documented=True, notice_tracked=True, notice_delivered_on=date(2026, 11, 2))
    assert hash(built) == hash(EngagementFacts(**dict(zip(
        EngagementFacts._fields, ROW, strict=True))))


def test_the_facts_stay_frozen():
    (built,) = from_rows(EngagementFacts, [ROW])
    with pytest.raises(AttributeError):
        built.withdrawn_on = date(2026, 12, 1)


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="13 fields, the row 12 values"):
        from_rows(EngagementFacts, [ROW[:-1]])


def test_a_class_that_checks_its_values_must_use_its_constructor():
    with pytest.raises(TypeError, match="ControllerFacts checks its values"):
        from_rows(ControllerFacts, [(1, "Aurora Kauppa Oy", "active", None)])


def test_engagement_facts_take_no_positional_values():
    with pytest.raises(TypeError):
        EngagementFacts(*ROW)
