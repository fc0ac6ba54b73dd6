"""The e-mail that tells legal staff a new upload waits in the review queue (queued with it)."""

import logging

from flask_babel import lazy_gettext as _l

from registry.auth.access import STAFF
from registry.mail import compose, external_url, send_or_log
from registry.models import User

log = logging.getLogger(__name__)
REVIEW_QUEUE_PATH = "/review"


def legal_staff_addresses():
    """Return the addresses of every active legal or admin user."""
    users = User.select(User.email).where(User.role.in_(STAFF) & User.is_active)
    return sorted({user.email for user in users}, key=str.lower)


def send_upload_notice(attestation):
    """Tell legal staff that `attestation` waits for review; return whether it was handed over."""
    recipients = legal_staff_addresses()
    if not recipients:
        log.warning("no active legal staff to tell about attestation %s", attestation.id)
        return False
    subcontractor = attestation.subcontractor
    type_name = attestation.attestation_type.name
    message = compose(
        recipients,
        _l("To review: %(type)s from %(name)s", type=type_name, name=subcontractor.name),
        "portal/upload_received",
        attestation=attestation,
        subcontractor=subcontractor,
        type_name=type_name,
        review_link=external_url(REVIEW_QUEUE_PATH),
    )
    return send_or_log(message, "upload received")
