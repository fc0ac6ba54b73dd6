"""A small, fully known registry for report tests, and helpers to read PDFs back."""

import io
import re
import threading
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pypdf import PdfReader

from registry.models import CLAUSE_KEYS, Setting
from tests.registry_factories import (
    make_attestation,
    make_controller,
    make_dpa,
    make_engagement,
    make_requirement,
    make_subcontractor,
)

TODAY = date(2026, 11, 25)
# The moment the test reports are made: 12:30 in Helsinki (EET, UTC+2) on TODAY.
GENERATED_AT = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
SECURITY_MEASURES = "Single sign-on with MFA for all staff.\nEncrypted backups, tested quarterly."


def on(offset):
    """Return the date `offset` days from TODAY."""
    return TODAY + timedelta(days=offset)


@dataclass
class Registry:
    """The rows of the known registry, by role in the story."""

    aakerlund: object
    hameen: object
    ended: object
    hosting: object
    mailer: object
    analytics: object


def make_settings(**values):
    """Save processor settings (name, contact, security measures by default)."""
    defaults = {"processor_name": "Verkkopalvelut Pohjola Oy",
                "processor_contact": "Tietosuoja, Mannerheimintie 1, 00100 Helsinki",
                "security_measures": SECURITY_MEASURES}
    defaults.update(values)
    for key, value in defaults.items():
        Setting.create(key=key, value=value)


def build_registry():
    """Create two active controllers, one ended, three subcontractors and their engagements."""
    make_settings()
    make_requirement()
    aakerlund = make_controller(name="Åkerlund & Söner Ab", country="SE", business_id="556677-8899",
                                services=["online store"])
    hameen = make_controller(name="Hämeen Urheiluseura ry", services=["reward shop"])
    ended = make_controller(name="Vanha Asiakas Oy", status="ended", ended_on=on(-90))
    make_dpa(aakerlund, title="DPA Åkerlund", signed_on=on(-400), effective_from=on(-400),
             expires_on=on(30), nature_and_purpose="Running the web shop",
             personal_data_types="Name, address, orders", data_subject_categories="Customers")
    clauses = {key: key != "deletion_or_return" for key in CLAUSE_KEYS}
    make_dpa(hameen, title="DPA Häme", clauses=clauses, signed_on=on(-200),
             effective_from=on(-200), subprocessor_authorisation="specific")
    hosting = make_subcontractor(name="Pilvipalvelu Hosting Oy", purpose="Hosting and databases",
                                 data_categories=["name", "e-mail"],
                                 processing_countries=["FI"])
    make_attestation(hosting, issuer="Kiwa Inspecta", reference="SQ-2026", issued_on=on(-30))
    mailer = make_subcontractor(name="Transatlantic Mail Inc.", country="US",
                                processing_countries=["US"], transfer_mechanism="dpf",
                                purpose="Transactional e-mail", data_categories=["e-mail"])
    analytics = make_subcontractor(name="Pending Analytics GmbH", country="DE",
                                   processing_countries=["DE"], purpose="Web analytics",
                                   status="proposed",
                                   data_categories=["IP address"])
    make_engagement(hosting, None)
    make_engagement(mailer, aakerlund, on_list_at_signing=False, notified_on=on(-120),
                    approved_on=on(-100))
    make_engagement(analytics, aakerlund, on_list_at_signing=False, notified_on=on(-5))
    return Registry(aakerlund, hameen, ended, hosting, mailer, analytics)


def read_pdf(pdf):
    """Return (reader, text of every page joined, list of page texts) of PDF bytes."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    return reader, "\n".join(pages), pages


def normalised(text):
    """Collapse whitespace so that assertions survive line breaks inside table cells."""
    return re.sub(r"\s+", " ", text)


def assert_page_numbers(pages):
    """Check that page i of n says 'Page i of n' with n the real page count."""
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text, (number, text[-200:])


def embedded_files(reader):
    """Return the /EmbeddedFiles name tree of a PDF, or None."""
    names = reader.trailer["/Root"].get("/Names")
    return names.get_object().get("/EmbeddedFiles") if names is not None else None


class CanaryServer:
    """An HTTP server on loopback that counts every request it receives."""

    def __init__(self):
        requests = self.requests = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the http.server API
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
