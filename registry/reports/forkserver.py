"""Imported only by the report renderer's forkserver, never by the app.

It typesets a one-line page once, so that fontconfig, Pango, HarfBuzz and the bundled fonts are
initialised in the server; every rendering child forked from it then starts warm, which saves
several hundred milliseconds per report.
"""

import logging

from registry.reports.pdf import write_pdf

WARM_UP_HTML = (
    '<!doctype html><html><head><title>warm-up</title><link rel="stylesheet" href="report.css">'
    "</head><body><p>Åsa <strong>Öberg</strong> <em>Jyväskylä</em></p></body></html>"
)

try:
    write_pdf(WARM_UP_HTML)
except Exception:  # a cold start is slower, not wrong: never let the server fail to start
    logging.getLogger(__name__).exception("warming up the report renderer failed")
