"""finding_url and subject_url: where a finding is fixed, only when the user may open that page."""

import pytest
from flask_login import login_user

from registry import findings_links
from registry.compliance.findings import make_finding
from registry.findings_links import finding_url, register_finding_link, subject_url
from tests.factories import make_user


def _finding(code, subject_id=7, controller_id=7, subcontractor_id=None):
    return make_finding(code, subject_id, "message", controller_id=controller_id,
                        subcontractor_id=subcontractor_id)


@pytest.fixture
def as_role(app):
    """Return a function that signs a new user of a role into a test request context."""
    contexts = []

    def sign_in(role):
        context = app.test_request_context()
        context.push()
        contexts.append(context)
        login_user(make_user(role))

    yield sign_in
    for context in reversed(contexts):
        context.pop()


@pytest.fixture
def private_links(monkeypatch):
    """Let a test register links without leaving them behind for other tests."""
    copy = {code: list(builders) for code, builders in findings_links._finding_links.items()}
    monkeypatch.setattr(findings_links, "_finding_links", copy)


def test_each_subject_links_to_its_page(as_role):
    as_role("legal")
    assert finding_url(_finding("dpa_missing")) == "/controllers/7#dpa"
    assert finding_url(_finding("dpa_expired", subject_id=3)) == "/dpas/3"
    assert finding_url(_finding("dpa_clause_missing:confidentiality", 3)) == "/dpas/3"
    assert finding_url(_finding("instruction_unacknowledged", 5)) == "/instructions/5"
    assert subject_url("controller", 9) == "/controllers/9"
    assert subject_url("nothing", 9) is None and subject_url("controller", None) is None


def test_a_registered_link_wins_and_missing_endpoints_fall_back(as_role, private_links):
    as_role("legal")

    @register_finding_link("dpa_review_due")
    def _to_missing_page(finding):
        return "nowhere.missing_endpoint", {}

    assert finding_url(_finding("dpa_review_due", subject_id=4)) == "/dpas/4"

    @register_finding_link("dpa_review_due")
    def _to_controller(finding):
        return "controllers.show_controller", {"controller_id": finding.controller_id}

    assert finding_url(_finding("dpa_review_due", subject_id=4)) == "/controllers/7"


def test_no_link_to_a_page_the_role_may_not_open(as_role):
    as_role("auditor")
    assert subject_url("user", 1) is None
    assert subject_url("controller", 1) == "/controllers/1"
