"""Every e-mail names the processor, comes from it, takes replies there and carries
REGISTRY_NAME in its subject; companies are written to in their language (checked at a real
aiosmtpd server)."""

import pytest

from registry.attestations.notify import send_review_outcome
from registry.mail.delivery import deliver_due
from registry.models import Attestation, Subcontractor
from registry.settings.operations import save_settings
from tests.alerts.factories import make_lapsing_registry

PROCESSOR = {"processor_name": "Esimerkki Oy",
             "processor_contact": "Katu 1, Helsinki · privacy@esimerkki.example"}


def _rejected(rows, language):
    Subcontractor.update(language=language).where(
        Subcontractor.id == rows["subcontractor"].id).execute()
    attestation = Attestation.get_by_id(rows["attestation"].id)  # its company re-read
    attestation.review, attestation.rejection_reason = "rejected", "The scope is missing."
    attestation.save()
    assert send_review_outcome(attestation)
    deliver_due()


@pytest.fixture
def registry_rows(app, smtp):
    app.config["REGISTRY_NAME"] = "Acme DPA"
    save_settings(PROCESSOR)
    return make_lapsing_registry()


def test_from_reply_to_processor_and_subject(app, smtp, registry_rows):
    _rejected(registry_rows, "en")
    [(_envelope, message, _auth)] = smtp.messages
    assert message["From"].addresses[0].display_name == "Esimerkki Oy"
    assert message["Reply-To"] == "privacy@esimerkki.example"  # from the contact details
    assert message["Subject"].startswith("[Acme DPA] ")
    text = message.get_body(("plain",)).get_content()
    assert "Esimerkki Oy" in text and "Replies to this message reach privacy@esimerkki" in text
    assert "needed by" not in text


def test_the_reply_to_setting_wins(app, smtp, registry_rows):
    save_settings({"reply_to": "dpo@esimerkki.example"})
    _rejected(registry_rows, "en")
    assert smtp.messages[0][1]["Reply-To"] == "dpo@esimerkki.example"


@pytest.mark.parametrize(("language", "subject", "words"), [
    ("en", "Iso27001 not accepted", "could not be accepted"),
    ("fi", "Iso27001 ei hyväksytty", "ei voitu hyväksyä"),
    ("sv", "Iso27001 inte godkänt", "kunde inte godkännas"),
])
def test_a_company_is_written_to_in_its_language(app, smtp, registry_rows, language, subject,
                                                 words):
    _rejected(registry_rows, language)
    [(_envelope, message, _auth)] = smtp.messages
    assert subject in message["Subject"]
    for part in (message.get_body(("plain",)), message.get_body(("html",))):
        assert words in part.get_content()


def test_staff_are_written_to_in_their_own_language(app, smtp, registry_rows):
    from types import SimpleNamespace

    from registry.models import User
    from registry.portal.notify import send_upload_notice

    User.update(language="fi").where(User.email == "legal@processor.example").execute()
    attestation = SimpleNamespace(
        id=1, subcontractor=registry_rows["subcontractor"], uploaded_by=None, issuer="DNV",
        attestation_type=SimpleNamespace(name="ISO 27001"), reference="", issued_on=None,
        document=SimpleNamespace(filename="iso.pdf", page_count=2))
    assert send_upload_notice(attestation)
    deliver_due()
    subjects = {tuple(envelope): message["Subject"] for envelope, message, _ in smtp.messages}
    assert subjects[("admin@processor.example",)] == "[Acme DPA] To review: ISO 27001 from Pilvi Oy"
    finnish = subjects[("legal@processor.example",)]
    assert finnish.startswith("[Acme DPA] Tarkastettavana: ISO 27001")
