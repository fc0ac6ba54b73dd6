"""The typesetting layer: the deny-by-default fetcher, bundled fonts, and the child's limits."""

import os

import pytest

from registry.reports import pdf
from tests.reports.factories import CanaryServer, embedded_files, read_pdf

FONT_URL = (pdf.ASSETS_DIR / "fonts" / "DejaVuSansCondensed.ttf").as_uri()
PAGE = ("<!doctype html><html><head><title>{title}</title>"
        '<link rel="stylesheet" href="report.css"></head><body>{body}</body></html>')


def test_fetcher_serves_a_bundled_font():
    fetcher = pdf.BundledAssetFetcher()
    response = fetcher.fetch(FONT_URL)
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    assert fetcher.served == [FONT_URL]


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    (pdf.ASSETS_DIR / ".." / ".." / "setup.cfg").as_uri(),
    f"{pdf.ASSETS_DIR.as_uri()}/../../setup.cfg",
    f"{pdf.ASSETS_DIR.as_uri()}/%2e%2e/%2e%2e/setup.cfg",
    f"file://localhost{pdf.ASSETS_DIR}/../../setup.cfg",
    f"file://example.org{pdf.ASSETS_DIR}/report.css",
    pdf.ASSETS_DIR.as_uri(),
    "http://127.0.0.1:9/x.png",
    "https://example.org/font.ttf",
    "ftp://example.org/x",
    "data:text/plain;base64,aGVsbG8=",
    "javascript:alert(1)",
])
def test_fetcher_refuses_everything_else(url):
    fetcher = pdf.BundledAssetFetcher()
    with pytest.raises(ValueError, match="reports may load only their bundled assets"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_a_symlink_out_of_the_bundle(tmp_path):
    root = tmp_path / "assets"
    root.mkdir()
    os.symlink("/etc/passwd", root / "passwd.css")
    fetcher = pdf.BundledAssetFetcher(root)
    with pytest.raises(ValueError):
        fetcher.fetch((root / "passwd.css").as_uri())


def test_fonts_come_from_the_bundle_not_the_system():
    fetcher = pdf.BundledAssetFetcher()
    document = pdf.write_pdf(PAGE.format(title="Fonts", body="<p>Åsa Öberg, Jyväskylä</p>"),
                             fetcher)
    fonts = {url.rsplit("/", 1)[1] for url in fetcher.served}
    assert {"report.css", "DejaVuSansCondensed.ttf"} <= fonts
    assert fetcher.refused == []
    reader, text, _ = read_pdf(document)
    assert "Åsa Öberg, Jyväskylä" in text
    page_fonts = reader.pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]) for font in page_fonts.values()}
    assert any("Registry-Sans" in name for name in names), names


def test_raw_hostile_markup_fetches_nothing_and_attaches_nothing():
    with CanaryServer() as canary:
        body = (
            '<link rel="attachment" href="file:///etc/passwd">'
            f'<img src="http://127.0.0.1:{canary.port}/img.png">'
            f'<link rel="stylesheet" href="http://127.0.0.1:{canary.port}/x.css">'
            f'<p style="background: url(http://127.0.0.1:{canary.port}/bg.png)">text</p>'
            '<object data="file:///etc/passwd"></object>'
        )
        document = pdf.render_pdf(PAGE.format(title="Hostile", body=body))
    reader, text, _ = read_pdf(document)
    assert canary.requests == []
    assert embedded_files(reader) is None
    assert "root:" not in text


def test_render_pdf_returns_a_pdf_with_metadata():
    html = PAGE.format(title="Metadata check", body="<p>Hello</p>").replace(
        "</title>", '</title><meta name="author" content="Verkkopalvelut Oy">'
        '<meta name="dcterms.created" content="2026-11-25T10:00:00+02:00">')
    reader, text, _ = read_pdf(pdf.render_pdf(html))
    assert reader.metadata.title == "Metadata check"
    assert reader.metadata.author == "Verkkopalvelut Oy"
    assert reader.metadata.creation_date.year == 2026
    assert "Hello" in text


def test_a_slow_report_is_stopped_with_a_clear_message():
    many_pages = PAGE.format(title="Slow", body="<p style='break-after: page'>x</p>" * 3000)
    with pytest.raises(pdf.ReportError, match="took longer than 0.2 s"):
        pdf.render_pdf(many_pages, timeout_seconds=0.2)


def test_a_report_over_the_memory_limit_fails_with_a_clear_message():
    table = "<table>" + "<tr><td>cell</td><td>cell</td></tr>" * 20000 + "</table>"
    with pytest.raises(pdf.ReportError, match="memory limit|stopped unexpectedly"):
        pdf.render_pdf(PAGE.format(title="Big", body=table), memory_mb=48, timeout_seconds=60)


def test_oversized_html_is_refused_before_rendering(monkeypatch):
    monkeypatch.setattr(pdf, "MAX_HTML_BYTES", 1000)
    with pytest.raises(pdf.ReportError, match="too big to typeset"):
        pdf.render_pdf(PAGE.format(title="Big", body="x" * 2000))
