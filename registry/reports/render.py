"""Turning report data into HTML and PDF bytes: the step both the web and the CLI call."""

import re
import unicodedata
from contextlib import nullcontext
from typing import NamedTuple

from flask import current_app

from registry.i18n import in_language
from registry.reports.data import REPORTS, build_report
from registry.reports.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS


class GeneratedReport(NamedTuple):
    """A finished report: a download filename and the PDF bytes."""

    filename: str
    pdf: bytes


def report_html(kind, data):
    """Return the print HTML of report `kind` for `data` (autoescaped Jinja).

    The app's Jinja environment is used directly: a report needs no request, user or the page
    context processors, and must render the same from the CLI as from a view.
    """
    template = current_app.jinja_env.get_template(REPORTS[kind].template)
    # `nl` breaks a line inside a `lines` cell (white-space: pre-line): much cheaper for
    # WeasyPrint to lay out than a <br> element, which matters in tables of thousands of rows.
    return template.render(report=data, nl="\n")


def limits(context):
    """Return (timeout seconds, memory MB) for rendering in `context` ('web' or 'cli').

    Set with REPORT_WEB_TIMEOUT_SECONDS / REPORT_CLI_TIMEOUT_SECONDS and REPORT_MEMORY_MB /
    REPORT_CLI_MEMORY_MB in the app configuration.
    """
    config = current_app.config
    if context == "cli":
        return (config.get("REPORT_CLI_TIMEOUT_SECONDS", 600),
                config.get("REPORT_CLI_MEMORY_MB", 4096))
    return (config.get("REPORT_WEB_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS),
            config.get("REPORT_MEMORY_MB", DEFAULT_MEMORY_MB))


def generate_report(kind, today, controller_id=None, context="web", *, generated_at,
                    language=None):
    """Build, typeset and name report `kind`; raise ReportError when typesetting fails.

    Everything dated in the PDF comes from `today` and `generated_at`, both the caller's: the
    typesetting child reads no clock. The report is written in `language` (a background job
    passes its requester's), else in the language of the request that asks for it.
    """
    from registry.reports.pdf import render_pdf  # WeasyPrint loads only when a PDF is made

    data = build_report(kind, today, controller_id, generated_at=generated_at)
    timeout_seconds, memory_mb = limits(context)
    with in_language(language) if language else nullcontext():
        html = report_html(kind, data)
    pdf = render_pdf(html, timeout_seconds=timeout_seconds, memory_mb=memory_mb)
    return GeneratedReport(report_filename(kind, data), pdf)


def report_filename(kind, data):
    """Return e.g. 'sub-processors-aurora-kauppa-oy-2026-11-25.pdf' (ASCII only)."""
    scope = "all" if data["whole_registry"] else _slug(data["scope"].partition(": ")[2])
    return f"{REPORTS[kind].filename}-{scope or 'controller'}-{data['today'].isoformat()}.pdf"


def _slug(text):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60]
