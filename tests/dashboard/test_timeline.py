"""The lapse timeline: which dates fall in the 12-month window, per month, and the chart layout."""

from datetime import date, timedelta

from registry.checks import current_snapshot
from registry.clock import local_today
from registry.compliance import add_months
from registry.dashboard.queries import DashboardFilters, Scope
from registry.dashboard.timeline import KINDS, Lapse, by_month, chart, lapses
from tests.registry_factories import (
    make_attestation,
    make_controller,
    make_dpa,
    make_requirement,
    make_subcontractor,
)


def test_months_start_with_the_current_one_and_count_by_kind(app):  # month names: the locale
    today = date(2026, 11, 25)
    found = [Lapse(date(2026, 11, 30), "dpa_expiry", "a", "dpa", 1),
             Lapse(date(2027, 1, 5), "attestation", "b", "subcontractor", 2),
             Lapse(date(2027, 1, 9), "attestation", "c", "subcontractor", 3)]
    months = by_month(today, found)
    assert [month.label for month in months[:3]] == ["Nov", "Dec", "Jan 2027"]
    assert months[-1].start == date(2027, 10, 1)
    assert months[0].counts["dpa_expiry"] == 1 and months[2].counts["attestation"] == 2
    assert [month.total for month in months[:3]] == [1, 0, 2]


def test_chart_stacks_bars_inside_the_plot_and_scales_to_the_busiest_month(app):
    months = by_month(date(2026, 11, 25), [
        Lapse(date(2026, 12, 1), kind, kind, "dpa", 1) for kind in KINDS for _ in range(3)])
    layout = chart(months)
    december = [bar for bar in layout.bars if bar.month == "Dec"]
    assert [bar.kind for bar in december] == list(KINDS)
    assert min(bar.y for bar in december) >= layout.plot_top
    assert all(bar.y + bar.height <= layout.plot_bottom + 0.2 for bar in december)
    assert layout.ticks[-1][0] >= 9 and layout.ticks[0] == (0, layout.plot_bottom)
    assert len(layout.labels) == 12


def test_an_empty_window_still_has_an_axis(app):
    layout = chart(by_month(date(2026, 11, 25), []))
    assert layout.bars == [] and [value for value, _ in layout.ticks] == [0, 1, 2, 3, 4]


def test_lapses_come_from_current_dpas_and_the_evidence_that_counts(app):
    today = local_today()
    current = make_dpa(expires_on=today + timedelta(days=40),
                       review_due_on=today + timedelta(days=100))
    make_dpa(controller=make_controller(status="ended"), expires_on=today + timedelta(days=5))
    make_dpa(expires_on=today + timedelta(days=500))
    make_requirement()
    supplier = make_subcontractor(name="Pilvi Oy")
    make_attestation(subcontractor=supplier, issued_on=today - timedelta(days=200))
    make_attestation(subcontractor=supplier, issued_on=today - timedelta(days=300))
    snapshot = current_snapshot()
    found = lapses(snapshot, Scope.of(DashboardFilters(), snapshot))
    assert [(lapse.kind, lapse.subject_id) for lapse in found] == [
        ("dpa_expiry", current.id), ("dpa_review", current.id),
        ("attestation", supplier.id)]
    assert found[2].on == add_months(today - timedelta(days=200), 12)


def test_lapses_follow_the_controller_filter(app):
    today = local_today()
    make_dpa(controller=make_controller(name="Aurora Oy"), expires_on=today + timedelta(days=9))
    make_dpa(controller=make_controller(name="Boreal Oy"), expires_on=today + timedelta(days=9))
    snapshot = current_snapshot()
    found = lapses(snapshot, Scope.of(DashboardFilters(controller="boreal"), snapshot))
    assert [lapse.text for lapse in found] == ["DPA v1 with Boreal Oy expires"]
