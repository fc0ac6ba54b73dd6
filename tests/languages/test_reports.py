"""PDF reports in Finnish and Swedish: one per language, read back with pypdf (issue 21)."""

import pytest

from registry.i18n import in_language
from registry.models import Document, ReportJob
from registry.reports import jobs
from registry.reports.render import generate_report
from tests.factories import make_user
from tests.reports.factories import GENERATED_AT, TODAY, build_registry, normalised, read_pdf

HEADINGS = {
    "fi": ("Hyväksytyt alihankkijat", "Kysymykset ja vastustukset"),
    "sv": ("Godkända underbiträden", "Frågor och invändningar"),
    "en": ("Authorised sub-processors", "Questions and objections"),
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_sub_processor_list_is_typeset_in_the_language_asked(app, language):
    registry = build_registry()
    report = generate_report("subprocessors", TODAY, registry.aakerlund.id,
                             generated_at=GENERATED_AT, language=language)
    text = normalised(read_pdf(report.pdf)[1])
    for heading in HEADINGS[language]:
        assert heading in text
    for other in {"fi", "sv", "en"} - {language}:
        assert HEADINGS[other][0] not in text


def test_a_background_report_is_made_in_its_requester_s_language(app):
    build_registry()
    user = make_user("legal")
    user.language = "sv"
    user.save()
    job = jobs.request_job("processing-record", TODAY, user)

    with in_language("fi"):  # whatever the worker's own context, the requester's language wins
        jobs.run(ReportJob.get_by_id(job.id))

    job = ReportJob.get_by_id(job.id)
    assert job.status == "done", job.error
    pdf = Document.get_by_id(job.document_id).blob.content
    text = normalised(read_pdf(bytes(pdf))[1])
    assert "Register över behandling som personuppgiftsbiträde" in text
