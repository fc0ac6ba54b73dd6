"""The e-mail that tells legal staff a new upload waits in the review queue (queued with it)."""

import logging

from flask_babel import lazy_gettext as _l

from registry.auth.access import STAFF
from registry.mail import compose, external_url, send_or_log, user_language
from registry.models import User

log = logging.getLogger(__name__)
REVIEW_QUEUE_PATH = "/review"


def legal_staff_by_language():
    """Return {language: addresses} of every active legal or admin user, each in theirs."""
    groups = {}
    for user in User.select(User.email, User.language).where(User.role.in_(STAFF)
                                                            & User.is_active):
        groups.setdefault(user_language(user), set()).add(user.email)
    return {language: sorted(addresses, key=str.lower) for language, addresses in groups.items()}


def send_upload_notice(attestation):
    """Tell legal staff that `attestation` waits for review (one message per language they
    read); return whether it was handed over."""
    groups = legal_staff_by_language()
    if not groups:
        log.warning("no active legal staff to tell about attestation %s", attestation.id)
        return False
    subcontractor = attestation.subcontractor
    type_name = attestation.attestation_type.name
    handed_over = [send_or_log(compose(
        recipients,
        _l("To review: %(type)s from %(name)s", type=type_name, name=subcontractor.name),
        "portal/upload_received",
        language=language,
        attestation=attestation,
        subcontractor=subcontractor,
        type_name=type_name,
        review_link=external_url(REVIEW_QUEUE_PATH),
    ), "upload received") for language, recipients in sorted(groups.items())]
    return all(handed_over)
