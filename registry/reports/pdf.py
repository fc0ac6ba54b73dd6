"""Typesetting: HTML to PDF with WeasyPrint, the only place WeasyPrint is called.

Rendering runs in a child process (multiprocessing 'forkserver'; the server imports WeasyPrint and
typesets one line at start, `registry.reports.forkserver`, so a child starts warm in milliseconds)
under a wall-clock timeout and an address-space limit: a report that is too big or too slow
fails with a `ReportError` instead of taking the server down. The forkserver's preload list is
global to multiprocessing; nothing else in the registry uses a forkserver. How many renders a
web process runs at once, and for one user, is bounded by the view (`registry.concurrency`).

The child may read nothing but the bundled assets under `static/reports/` (fonts and the
stylesheet): `BundledAssetFetcher` refuses every other URL, so user text that slipped into the
HTML as markup can neither attach a local file nor make a network request.
"""

import logging
import mimetypes
import multiprocessing
import resource
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from registry import asset_dir
from registry.reports.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS, ReportError

ASSETS_DIR = (asset_dir("static") / "reports").resolve()
# A guard before the child starts: HTML beyond this is refused without trying to lay it out.
MAX_HTML_BYTES = 64 * 1024 * 1024

log = logging.getLogger(__name__)
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["registry.reports.forkserver"])


class BundledAssetFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only files inside the bundled assets folder.

    Deny by default: any other scheme (http, https, ftp, data ...), any file:// path outside the
    folder (symlinks resolved first) and any host part are refused. Nothing is ever opened over
    the network, so there is no redirect to follow. Refused URLs are kept in `refused`.
    """

    def __init__(self, root=ASSETS_DIR):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, timeout=1)
        self.root = Path(root).resolve()
        self.served = []
        self.refused = []

    def fetch(self, url, headers=None):
        """Return the bundled file `url` names; raise ValueError for anything else."""
        path = self.bundled_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused {url[:200]!r}: reports may load only their bundled assets")
        self.served.append(url)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": media_type})

    def open(self, url, data=None, timeout=None):
        """Route urllib-style calls through `fetch`, so that no other handler is ever used."""
        return self.fetch(url if isinstance(url, str) else url.full_url)

    def bundled_path(self, url):
        """Return the path of a file:// URL inside the assets folder, or None."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path)).resolve()
        if path.is_relative_to(self.root) and path.is_file():
            return path
        return None


def base_url():
    """Return the URL relative links in report HTML resolve against: the assets folder."""
    return ASSETS_DIR.as_uri() + "/"


# Tagged PDF for assistive technology (PDF/UA-1): a structure tree from the HTML (headings,
# tables with their header cells' scope, lists), the language from <html lang> and the title
# from <title>, shown as the window title. The page looks the same as untagged.
PDF_VARIANT = "pdf/ua-1"


def write_pdf(html, fetcher=None):
    """Typeset `html` in this process and return the PDF bytes (call `render_pdf` instead)."""
    fetcher = fetcher or BundledAssetFetcher()
    document = HTML(string=html, base_url=base_url(), url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def render_pdf(html, *, timeout_seconds=DEFAULT_TIMEOUT_SECONDS, memory_mb=DEFAULT_MEMORY_MB):
    """Typeset `html` in a child process within limits; return PDF bytes or raise ReportError."""
    if len(html.encode()) > MAX_HTML_BYTES:
        raise ReportError(
            f"the report is too big to typeset (over {MAX_HTML_BYTES // 2**20} MB of HTML); "
            "narrow it to one controller"
        )
    return _run_child(html, timeout_seconds, memory_mb)


def _run_child(html, timeout_seconds, memory_mb):
    receiver, sender = _context.Pipe(duplex=False)
    process = _context.Process(
        target=_render_in_child, args=(html, sender, memory_mb), daemon=True, name="report-pdf"
    )
    process.start()
    sender.close()
    try:
        return _receive(receiver, process, timeout_seconds, memory_mb)
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()


def _receive(receiver, process, timeout_seconds, memory_mb):
    if not receiver.poll(timeout_seconds):
        raise ReportError(
            f"the report took longer than {timeout_seconds} s to typeset and was stopped; "
            "narrow it to one controller or generate it with `dpa-registry report`"
        )
    try:
        outcome, payload, warnings = receiver.recv()
    except EOFError:
        process.join(1)
        raise ReportError(
            f"the report renderer stopped unexpectedly (exit code {process.exitcode}); the report "
            f"is probably too big for the {memory_mb} MB memory limit"
        ) from None
    for warning in warnings:
        log.warning("report rendering: %s", warning)
    if outcome == "ok":
        return payload
    if outcome == "memory":
        raise ReportError(
            f"the report needs more than the {memory_mb} MB memory limit; narrow it to one "
            "controller or generate it with `dpa-registry report`"
        )
    raise ReportError(f"the report could not be typeset: {payload}")


class _CollectWarnings(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage()[:300])


def _limit_memory(memory_mb):
    # The cap counts from the child's size at start (WeasyPrint and its libraries are mapped).
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[0])
    start = pages * resource.getpagesize()
    limit = start + memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _render_in_child(html, connection, memory_mb):
    _limit_memory(memory_mb)
    weasyprint_log = logging.getLogger("weasyprint")
    collector = _CollectWarnings()
    weasyprint_log.addHandler(collector)
    weasyprint_log.propagate = False
    try:
        pdf = write_pdf(html)
        connection.send(("ok", pdf, collector.messages[:20]))
    except MemoryError:
        connection.send(("memory", "", collector.messages[:20]))
    except Exception as error:  # any failure becomes a ReportError in the parent
        connection.send(("error", f"{type(error).__name__}: {error}", collector.messages[:20]))
    finally:
        connection.close()
