"""The portal reads the assessment every page shares: no page assesses the registry per
request, and the validity preview assesses nothing."""

import pytest

from registry import checks


@pytest.fixture
def assessments(monkeypatch):
    """Count the assessments of the registry (whole or incremental)."""
    runs = []
    real_assess = checks.assess_snapshot

    def counted(*args):
        runs.append(args[1])
        return real_assess(*args)

    monkeypatch.setattr(checks, "assess_snapshot", counted)
    return runs


def test_portal_pages_share_one_assessment_per_registry_revision(tenant_a, assessments):
    client, _first, _second = tenant_a
    checks.forget_snapshot()
    for url in ("/portal/", "/portal/attestations/new", "/portal/", "/portal/attestations/new"):
        assert client.get(url).status_code == 200
    assert len(assessments) == 1


def test_the_validity_preview_never_runs_the_engine(tenant_a, assessments):
    client, _first, _second = tenant_a
    checks.forget_snapshot()
    for day in ("2026-01-10", "2026-01-11", "2026-01-12"):
        answer = client.get(f"/portal/attestations/validity?type=iso27001&issued_on={day}")
        assert answer.status_code == 200
    assert assessments == []
