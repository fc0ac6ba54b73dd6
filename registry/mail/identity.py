"""Who the registry's e-mails come from and where replies go: the processor, from Settings.

Every message names the processor (its name and contact details from the admin's Settings),
shows the processor's name as the From display name (else REGISTRY_NAME) on MAIL_FROM's
address, and carries a Reply-To a person reads: the `reply_to` setting, else the first e-mail
address in the processor's contact details, else the data protection officer's. Without any
of them the message has no Reply-To and its text does not invite a reply.
"""

import re
from email.headerregistry import Address
from email.utils import getaddresses
from typing import NamedTuple

from flask import current_app

from registry.validation import email_error

# A loose find of an address inside free text (the contact details); `email_error` decides.
ADDRESS_IN_TEXT = re.compile(r"[^\s<>(),;:\"']+@[^\s<>(),;:\"']+\.[A-Za-z0-9-]+")


class SenderIdentity(NamedTuple):
    """The processor as its e-mails present it."""

    registry_name: str
    processor_name: str
    processor_contact: str
    reply_address: str | None

    @property
    def display_name(self):
        """The From display name: the processor's name, else the registry's."""
        return self.processor_name or self.registry_name


def first_address(text):
    """Return the first deliverable e-mail address found in free text, or None."""
    for candidate in ADDRESS_IN_TEXT.findall(text or ""):
        candidate = candidate.rstrip(".")
        if email_error(candidate) is None:
            return candidate
    return None


def reply_address(settings):
    """Return where replies go: the `reply_to` setting, else the processor's privacy contact."""
    return (settings.get("reply_to") or first_address(settings.get("processor_contact"))
            or first_address(settings.get("dpo_contact")))


def sender_identity(settings=None):
    """Return the SenderIdentity of this registry (reads Settings unless given)."""
    if settings is None:
        from registry.settings.store import load_settings  # the settings package has views

        settings = load_settings()
    return SenderIdentity(
        registry_name=current_app.config["REGISTRY_NAME"],
        processor_name=(settings.get("processor_name") or "").strip(),
        processor_contact=(settings.get("processor_contact") or "").strip(),
        reply_address=reply_address(settings),
    )


def from_header(identity):
    """Return the From address: MAIL_FROM's address under the processor's (or registry's) name."""
    _name, address = getaddresses([current_app.config["MAIL_FROM"]])[0]
    return Address(display_name=identity.display_name, addr_spec=address)


def tagged_subject(subject, identity):
    """Return the subject with REGISTRY_NAME in front, so every message is recognisable."""
    tag = f"[{identity.registry_name}]"
    return subject if subject.startswith(tag) else f"{tag} {subject}"
