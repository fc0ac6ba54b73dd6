"""Every PDF report of the demo registry is tagged PDF/UA-1 (checked with pikepdf).

Tagged: /MarkInfo /Marked, a structure tree with table header cells whose data cells name them
(/Headers, built from the header cells' scope), the document language, and in the XMP metadata
the title and the PDF/UA identification (part 1).
"""

from datetime import UTC, datetime
from io import BytesIO

import pikepdf
import pytest

from registry.clock import local_today
from registry.models import Controller, Engagement
from registry.reports.data import REPORTS, build_report
from registry.reports.pdf import write_pdf
from registry.reports.render import report_html

pytestmark = pytest.mark.a11y


def _structure_elements(node):
    """Yield every structure element dictionary below `node`."""
    if isinstance(node, pikepdf.Array):
        for child in node:
            yield from _structure_elements(child)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
        if "/K" in node:
            yield from _structure_elements(node.K)


@pytest.fixture
def demo_reports(app, runner):
    """Each report kind's PDF, typeset from the demo registry as of its load day."""
    loaded = runner.invoke(args=["demo"])
    assert loaded.exit_code == 0, loaded.output
    controller = Controller.select().join(Engagement).first()
    today = local_today()
    pdfs = {}
    for kind, spec in REPORTS.items():
        data = build_report(kind, today, controller.id if spec.needs_controller else None,
                            generated_at=datetime.now(UTC))
        pdfs[kind] = (spec.title, write_pdf(report_html(kind, data)))
    return pdfs


def test_every_report_is_tagged_pdf_ua_1(demo_reports):
    for kind, (title, content) in demo_reports.items():
        with pikepdf.open(BytesIO(content)) as pdf:
            root = pdf.Root
            assert root.MarkInfo.Marked is True, kind
            assert "/StructTreeRoot" in root, kind
            assert str(root.Lang) == "en", kind
            assert root.ViewerPreferences.DisplayDocTitle is True, kind
            metadata = pdf.open_metadata()
            assert metadata["dc:title"].startswith(title.split(" (")[0]), kind
            assert metadata["pdfuaid:part"] == "1", kind
            elements = list(_structure_elements(root.StructTreeRoot.K))
            kinds = {str(element.S) for element in elements}
            assert {"/H1", "/Table", "/TH", "/TD"} <= kinds, (kind, kinds)
            headed = [element for element in elements if element.S == "/TD"
                      and "/A" in element and "/Headers" in element.A]
            assert headed, f"{kind}: no data cell names its header cells"
