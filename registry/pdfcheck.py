"""Decide whether bytes are a real, safe PDF, by parsing them in a child process with hard limits.

A hostile file (a decompression bomb, millions of objects, a parser bug) may exhaust memory or
CPU, so the parse runs in a separate interpreter (`python -I this_file.py`) that limits itself
with RLIMIT_AS, RLIMIT_CPU and RLIMIT_FSIZE before it reads a byte, and that the parent kills
after a wall-clock deadline. The child answers with one reason code, which the parent maps to
its own text: nothing the file contains is ever shown. This module imports only the standard
library and pikepdf, so that the child starts in well under a second.
"""

import io
import json
import math
import os
import resource
import subprocess
import sys

import pikepdf

PARSE_SECONDS = 15
PARSE_MEMORY_BYTES = 768 * 1024 * 1024
# Total size of every stream once unpacked: a certificate or an audit report is far below this.
UNPACKED_LIMIT_BYTES = 256 * 1024 * 1024
# Filters qpdf can undo in full; image codecs (DCT, JPX, JBIG2, CCITT) are left packed.
GENERAL_FILTERS = frozenset(
    {"/FlateDecode", "/LZWDecode", "/ASCII85Decode", "/ASCIIHexDecode", "/RunLengthDecode"}
)
PRINT_TO_PDF = "Please upload a plain version (for example, use \u201cPrint to PDF\u201d)."

REASONS = {
    "not_a_pdf": "This file is not a PDF. Please upload the document as a PDF file.",
    "damaged": "This file claims to be a PDF but cannot be read: it is damaged or incomplete.",
    "no_pages": "This PDF has no pages.",
    "encrypted": (
        "This PDF is encrypted or password-protected. Please upload a copy without a password."
    ),
    "javascript": f"This PDF contains JavaScript. {PRINT_TO_PDF}",
    "open_action": f"This PDF runs an action as soon as it is opened (/OpenAction). {PRINT_TO_PDF}",
    "additional_actions": (
        f"This PDF contains automatic actions (/AA) that run when it is used. {PRINT_TO_PDF}"
    ),
    "launch": f"This PDF tries to start another program or file (/Launch). {PRINT_TO_PDF}",
    "form_actions": f"This PDF contains form actions that send or import data. {PRINT_TO_PDF}",
    "embedded_files": (
        "This PDF carries embedded or attached files. Please upload the document on its own."
    ),
    "multimedia": f"This PDF contains embedded multimedia content. {PRINT_TO_PDF}",
    "xfa": f"This PDF is an XFA form, which cannot be checked safely. {PRINT_TO_PDF}",
    "too_big_unpacked": (
        f"This PDF unpacks to more than {UNPACKED_LIMIT_BYTES // (1024 * 1024)} MB, "
        "too much to check safely."
    ),
    "too_slow": (
        "This PDF took too long to check; it may be damaged or built to overload PDF readers."
    ),
    "too_complex": (
        "This PDF needs too much memory to check; it may be damaged or built to overload "
        "PDF readers."
    ),
}

# A key anywhere in any dictionary that refuses the file.
FORBIDDEN_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/OpenAction": "open_action",
    "/AA": "additional_actions",
    "/EmbeddedFiles": "embedded_files",
    "/EF": "embedded_files",
    "/XFA": "xfa",
}
# An action type (/S), subtype or type that refuses the file.
FORBIDDEN_NAMES = {
    ("/S", "/JavaScript"): "javascript",
    ("/S", "/Launch"): "launch",
    ("/S", "/SubmitForm"): "form_actions",
    ("/S", "/ImportData"): "form_actions",
    ("/S", "/GoToE"): "embedded_files",
    ("/S", "/Rendition"): "multimedia",
    ("/S", "/RichMediaExecute"): "multimedia",
    ("/Subtype", "/FileAttachment"): "embedded_files",
    ("/Subtype", "/RichMedia"): "multimedia",
    ("/Type", "/EmbeddedFile"): "embedded_files",
}
CONTAINERS = (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)


class Refused(Exception):
    """The bytes are not a PDF that may be accepted; `code` says why, `reason` in plain words."""

    def __init__(self, code):
        self.code = code if code in REASONS else "too_complex"
        self.reason = REASONS[self.code]
        super().__init__(self.reason)


def looks_like_pdf(data):
    """Return whether `data` starts with the PDF header (a cheap test before parsing)."""
    return data.startswith(b"%PDF-")


def check_pdf(data, seconds=PARSE_SECONDS, memory_bytes=PARSE_MEMORY_BYTES):
    """Return the page count of `data`, or raise Refused; the parse runs in a limited child."""
    if not looks_like_pdf(data):
        raise Refused("not_a_pdf")
    command = [sys.executable, "-I", os.path.abspath(__file__), str(memory_bytes), str(seconds)]
    try:
        # Fixed argument list, no shell; the untrusted bytes only travel through stdin.
        completed = subprocess.run(  # noqa: S603
            command, input=data, capture_output=True, timeout=seconds, check=False
        )
    except subprocess.TimeoutExpired:
        raise Refused("too_slow") from None
    verdict = _read_verdict(completed.stdout)
    if "pages" not in verdict:
        raise Refused(verdict.get("refused", "too_complex"))
    return verdict["pages"]


def _read_verdict(output):
    # A child killed by a limit or crashed inside the parser prints nothing usable.
    try:
        verdict = json.loads(output.decode("ascii").strip().splitlines()[-1])
    except (UnicodeDecodeError, ValueError, IndexError):
        return {}
    pages = verdict.get("pages") if isinstance(verdict, dict) else None
    if isinstance(pages, int) and pages > 0:
        return {"pages": pages}
    refused = verdict.get("refused") if isinstance(verdict, dict) else None
    return {"refused": refused} if refused in REASONS else {}


def _apply_limits(memory_bytes, seconds):
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = mapped + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    cpu_seconds = math.ceil(seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def inspect_pdf(data):
    """Parse `data` in this process and return its page count, or raise Refused (no limits)."""
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused("encrypted") from None
    except pikepdf.PdfError:
        raise Refused("damaged") from None
    with pdf:
        if pdf.is_encrypted:
            raise Refused("encrypted")
        try:
            _check_objects(pdf)
            page_count = len(pdf.pages)
        except pikepdf.PdfError:
            raise Refused("damaged") from None
    if page_count < 1:
        raise Refused("no_pages")
    return page_count


def _check_objects(pdf):
    unpacked = 0
    for obj in [pdf.trailer, *pdf.objects]:
        _check_tree(obj)
        if isinstance(obj, pikepdf.Stream) and _is_generally_filtered(obj):
            unpacked += _unpacked_size(obj)
            if unpacked > UNPACKED_LIMIT_BYTES:
                raise Refused("too_big_unpacked")


def _unpacked_size(stream):
    try:
        return len(stream.read_bytes())
    except pikepdf.DataDecodingError as error:
        # qpdf turns an allocation that hit RLIMIT_AS into a decoding error.
        raise Refused("too_complex" if "bad_alloc" in str(error) else "damaged") from None


def _is_generally_filtered(stream):
    filters = stream.get("/Filter")
    if filters is None:
        return True
    names = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    return all(str(name) in GENERAL_FILTERS for name in names)


def _check_tree(root):
    # Iterative walk over the direct objects inside one indirect object; every indirect object
    # is visited on its own by _check_objects, so references are not followed here.
    pending = [root]
    while pending:
        obj = pending.pop()
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            _check_dictionary(obj)
            children = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        pending.extend(
            child for child in children if isinstance(child, CONTAINERS) and not child.is_indirect
        )


def _check_dictionary(dictionary):
    for key in dictionary:
        if key in FORBIDDEN_KEYS:
            raise Refused(FORBIDDEN_KEYS[key])
    for (key, name), code in FORBIDDEN_NAMES.items():
        value = dictionary.get(key)
        if isinstance(value, pikepdf.Name) and str(value) == name:
            raise Refused(code)


def _main(memory_bytes, seconds):
    data = sys.stdin.buffer.read()
    _apply_limits(memory_bytes, seconds)
    try:
        verdict = {"pages": inspect_pdf(data)}
    except Refused as refusal:
        verdict = {"refused": refusal.code}
    except MemoryError:
        verdict = {"refused": "too_complex"}
    sys.stdout.write(json.dumps(verdict) + "\n")


if __name__ == "__main__":
    _main(int(sys.argv[1]), float(sys.argv[2]))
