"""E-mails about a subcontractor's attestations, composed from templates/email/attestations/.

Queued in the outbox with the review decision (same transaction) and delivered outside the
request; a failed delivery shows on the admins' mail page and never undoes the decision.
"""

import logging

from flask_babel import lazy_gettext as _l

from registry.attestations.validity import row_counts_until
from registry.i18n import company_language
from registry.mail import compose, external_url, send_or_log
from registry.models import User

log = logging.getLogger(__name__)


def subcontractor_recipients(subcontractor):
    """Return the subcontractor's contact addresses and its active users' addresses, once each."""
    users = User.select(User.email).where(
        (User.subcontractor == subcontractor) & User.is_active
    )
    addresses = {}
    for address in [*subcontractor.contacts, *(user.email for user in users)]:
        addresses.setdefault(address.strip().lower(), address.strip())
    return sorted(addresses.values(), key=str.lower)


def has_portal_account(subcontractor):
    """Tell whether someone of the subcontractor can sign in (accepted their invitation)."""
    return User.select().where(
        (User.subcontractor == subcontractor) & User.is_active
        & (User.password_hash.is_null(False) | User.last_login_at.is_null(False))).exists()


def send_review_outcome(attestation):
    """Tell the subcontractor whether its attestation was accepted or rejected, and why."""
    subcontractor = attestation.subcontractor
    recipients = subcontractor_recipients(subcontractor)
    if not recipients:
        log.warning("subcontractor %s has no contact to tell about attestation %s",
                    subcontractor.id, attestation.id)
        return False
    accepted = attestation.review == "accepted"
    type_name = attestation.attestation_type.name
    subject = (_l("%(type)s accepted", type=type_name) if accepted
               else _l("%(type)s not accepted", type=type_name))
    message = compose(
        recipients,
        subject,
        f"attestations/{'accepted' if accepted else 'rejected'}",
        language=company_language(subcontractor),
        has_account=has_portal_account(subcontractor),
        attestation=attestation,
        subcontractor=subcontractor,
        type_name=type_name,
        counts_until=row_counts_until(attestation) if accepted else None,
        portal_link=external_url("portal.show_portal"),
        upload_link=external_url(
            "portal.new_attestation", type=attestation.attestation_type.code
        ),
    )
    return send_or_log(message, f"attestation {attestation.review}")
