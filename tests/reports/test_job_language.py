"""A background report in the language of the page that asked for it (issue 21): a user who
set no language and follows the browser's gets the PDF in the browser's language, findings
included, although the job that makes it has no browser to ask."""

import re
from datetime import date

import pytest

from registry.checks import current_snapshot
from registry.i18n import finding_text, in_language
from registry.models import Document, ReportJob
from registry.reports import jobs
from tests.auth_helpers import csrf_token, login
from tests.factories import make_user
from tests.reports.factories import build_registry, normalised, read_pdf

AS_OF = date(2026, 11, 25)
FINNISH = {"Accept-Language": "fi-FI,fi;q=0.9,en;q=0.5"}


@pytest.fixture
def big(app):
    """A registry over the web limit: whole-registry reports are offered in the background."""
    app.config["REPORT_WEB_MAX_ROWS"] = 3
    app.config["REPORT_JOBS"] = "serve"  # no thread runs in tests: they call the runner
    return build_registry()


def _joined(text):
    """Whitespace collapsed, and a word broken at its hyphen (DPF-|sertifiointia) joined."""
    return re.sub(r"-\s+", "-", normalised(text))


def _request_in_finnish(client):
    page = client.get("/reports/download", headers=FINNISH,
                      query_string={"kind": "compliance", "today": AS_OF.isoformat()})
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert 'lang="fi"' in html
    response = client.post("/reports/jobs", headers=FINNISH, data={
        "kind": "compliance", "today": AS_OF.isoformat(),
        "csrf_token": csrf_token(html[html.index('action="/reports/jobs"'):])})
    assert response.status_code == 302
    return ReportJob.get()


def test_a_report_asked_for_in_finnish_is_made_in_finnish(app, client, big):
    user = make_user("legal")
    assert user.language is None  # follows the browser
    login(client, user)

    job = _request_in_finnish(client)
    assert job.language == "fi"
    with in_language("sv"):  # whatever the runner's own context, the page's language wins
        jobs.run(ReportJob.get_by_id(job.id))

    job = ReportJob.get_by_id(job.id)
    assert job.status == "done", job.error
    reader, text, _pages = read_pdf(bytes(Document.get_by_id(job.document_id).blob.content))
    assert reader.trailer["/Root"]["/Lang"] == "fi", "screen readers read it as Finnish"
    text = _joined(text)
    assert "Vaatimustenmukaisuusraportti" in text
    # The report's own labels are read before it is typeset, and typeset in Finnish too.
    assert "Koko rekisteri" in text and "Whole registry" not in text
    assert "Alihankkijat" in text and "Subcontractors" not in text
    assert "Sivu 1/" in text and "Page 1 of" not in text, "the page numbers too"
    for english in ("complete", "missing (", "documented instructions", "written approval",
                    "listed in the DPA", "RED", "AMBER"):
        assert english not in text, f"the report's own data too: {english}"
    findings = current_snapshot(AS_OF).assessment.findings
    assert findings
    with app.test_request_context(), in_language("fi"):
        finnish = [finding_text(finding) for finding in findings]
    for finding, translated in zip(findings, finnish, strict=True):
        assert translated != finding.message
        assert _joined(translated) in text, translated
        assert finding.message not in text, finding.message


def test_a_job_queued_before_the_language_was_kept_uses_the_requester_s_choice(app, big):
    user = make_user("legal")
    user.language = "sv"
    user.save()
    job = jobs.request_job("processing-record", AS_OF, user)  # no page language: None
    assert job.language is None
    jobs.run(ReportJob.get_by_id(job.id))
    job = ReportJob.get_by_id(job.id)
    pdf = bytes(Document.get_by_id(job.document_id).blob.content)
    assert "Register över behandling som personuppgiftsbiträde" in normalised(read_pdf(pdf)[1])
