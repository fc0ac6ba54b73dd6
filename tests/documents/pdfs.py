"""Build real and hostile files for upload tests (pikepdf for the PDFs, raw bytes for the rest)."""

import functools
import io
import zipfile
import zlib

import pikepdf


def _save(pdf, **options):
    buffer = io.BytesIO()
    pdf.save(buffer, **options)
    return buffer.getvalue()


def _blank(pages=1):
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    return pdf


def valid_pdf(pages=1, marker="certificate"):
    """Return a plain PDF with `pages` pages; `marker` makes its bytes (and hash) distinct."""
    pdf = _blank(pages)
    pdf.docinfo["/Title"] = marker
    return _save(pdf)


def pdf_with_link():
    """Return a PDF whose page has an ordinary web link (allowed: certificates carry them)."""
    pdf = _blank()
    action = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://example.com/"))
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 100, 20], A=action
    )
    pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
    return _save(pdf)


def javascript_in_names():
    """Return a PDF with a document-level script in the /Names /JavaScript tree."""
    pdf = _blank()
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    names = pikepdf.Array([pikepdf.String("run"), pdf.make_indirect(script)])
    pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=names))
    return _save(pdf)


def javascript_link_action():
    """Return a PDF whose link annotation runs JavaScript (no /JS key name in a names tree)."""
    pdf = _blank()
    action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(2)"))
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=action
    )
    pdf.pages[0].Annots = pikepdf.Array([link])
    return _save(pdf)


def open_action():
    """Return a PDF that jumps to a page when opened (harmless, but /OpenAction is refused)."""
    pdf = _blank()
    pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
    return _save(pdf)


def additional_actions():
    """Return a PDF whose page has an /AA (page-open) action."""
    pdf = _blank()
    action = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://evil.example"))
    pdf.pages[0].AA = pikepdf.Dictionary(O=action)
    return _save(pdf)


def launch_action():
    """Return a PDF with a link that launches a program."""
    pdf = _blank()
    action = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe"))
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], A=action
    )
    pdf.pages[0].Annots = pikepdf.Array([link])
    return _save(pdf)


def embedded_file():
    """Return a PDF with a file in its /EmbeddedFiles name tree."""
    pdf = _blank()
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ\x90\x00payload")
    return _save(pdf)


def file_attachment_annotation():
    """Return a PDF with a /FileAttachment annotation (no /EF: the subtype alone refuses it)."""
    pdf = _blank()
    annotation = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=[0, 0, 10, 10],
        FS=pikepdf.String("payload.exe"),
    )
    pdf.pages[0].Annots = pikepdf.Array([annotation])
    return _save(pdf)


def xfa_form():
    """Return a PDF with an XFA form in its /AcroForm."""
    pdf = _blank()
    xfa = pdf.make_stream(b"<xdp:xdp xmlns:xdp='http://ns.adobe.com/xdp/'></xdp:xdp>")
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=xfa)
    return _save(pdf)


def encrypted(user_password=""):
    """Return an encrypted PDF (opens without a password when `user_password` is empty)."""
    return _save(
        _blank(), encryption=pikepdf.Encryption(owner="owner-secret", user=user_password)
    )


def hex_escaped_javascript():
    """Return a PDF whose /JS key is written as /J#53 so that a byte search would miss it."""
    data = javascript_link_action()
    return data.replace(b"/JS ", b"/J#53 ").replace(b"/JS(", b"/J#53(")


@functools.cache
def decompression_bomb(unpacked_mb=600):
    """Return a small PDF holding one Flate stream that unpacks to `unpacked_mb` MB of zeros."""
    pdf = _blank()
    compressor = zlib.compressobj(9)
    chunk = bytes(1024 * 1024)
    packed = b"".join(compressor.compress(chunk) for _ in range(unpacked_mb))
    packed += compressor.flush()
    stream = pikepdf.Stream(pdf, packed)
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.Root.Bomb = pdf.make_indirect(stream)
    return _save(pdf, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)


def raw_pdf(extra_object):
    """Return a hand-written one-page PDF whose catalog refers to `extra_object` as /Extra."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Extra 4 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        extra_object,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def deeply_nested(depth=200_000):
    """Return a PDF with arrays nested `depth` levels deep (a parser-recursion attack)."""
    return raw_pdf(b"[" * depth + b"]" * depth)


def nested_javascript():
    """Return a hand-written PDF hiding a JavaScript action a few direct levels down."""
    return raw_pdf(b"[[<< /Next [<< /S /JavaScript /JS (app.alert(3)) >>] >>]]")


def renamed_zip():
    """Return a zip archive (what a renamed .docx or .exe bundle looks like)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def renamed_executable():
    """Return the start of a Windows executable."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200) + b"PE\x00\x00"


HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>'
PDF_HEADER_AND_JUNK = b"%PDF-1.7\n" + b"\x00junk\xff" * 2000
PDF_HEADER_THEN_HTML = b"%PDF-1.4\n" + HTML
