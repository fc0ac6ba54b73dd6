"""Every report rendered to PNG pages with pdftoppm (poppler-utils), for a person to look at.

The PNGs land in test-artifacts/reports/; the test checks that each page has ink on it in the
body and the footer, and that nothing is drawn outside the A4 printable margins.
"""

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from registry.reports.render import generate_report
from tests.reports.factories import GENERATED_AT, TODAY, build_registry, read_pdf

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reports"
DPI = 50  # an A4 page is 413 x 585 pixels (portrait)
MARGIN_PIXELS = 20  # a 10 mm strip inside the paper edge stays white


pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                reason="pdftoppm (poppler-utils) is not installed")


def _png_pages(pdf, stem):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{stem}-*.png"):
        old.unlink()
    source = ARTIFACTS / f"{stem}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(source), str(ARTIFACTS / stem)],
                   check=True, timeout=60)
    return sorted(ARTIFACTS.glob(f"{stem}-*.png"))


def _ink_box(path):
    image = ImageOps.invert(Image.open(path).convert("L"))
    return image.size, image.point(lambda value: 255 if value > 40 else 0).getbbox()


@pytest.mark.parametrize("kind", ["compliance", "subprocessors", "processing-record",
                                  "dpa-register"])
def test_report_pages_render_to_png_within_the_margins(app, kind):
    registry = build_registry()
    controller = registry.aakerlund if kind == "subprocessors" else None
    report = generate_report(kind, TODAY, controller.id if controller else None,
                             generated_at=GENERATED_AT)
    pages = _png_pages(report.pdf, f"{kind}-{app.config['DATABASE_URL'].split(':')[0]}")
    assert len(pages) == len(read_pdf(report.pdf)[0].pages)
    for page in pages:
        (width, height), box = _ink_box(page)
        assert box is not None, f"{page.name} is blank"
        left, top, right, bottom = box
        assert left >= MARGIN_PIXELS and top >= MARGIN_PIXELS, (page.name, box)
        assert right <= width - MARGIN_PIXELS and bottom <= height - MARGIN_PIXELS, (page.name, box)
        assert bottom > height * 0.85, f"{page.name} has no footer"
