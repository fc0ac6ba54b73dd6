"""Forwarding a data-subject request to its controller from the worker, never inside a request.

The page records the recipients on the request (`operations.queue_forward`) and enqueues
`forward_request`; the worker mails it and records `forwarded_at`, `forwarded_to` and the
Message-ID, or the error. A failed forward stays failed until someone forwards it again.
"""

import logging

from flask_babel import lazy_gettext as _l
from peewee import Value

from registry import audit, tasks
from registry.compliance.requests import REQUEST_TYPE_ARTICLES
from registry.db import write_transaction
from registry.i18n import company_language
from registry.incidents.queries import aware
from registry.mail import MailError, compose, send
from registry.models import Controller, SubjectRequest, utcnow
from registry.requests.forms import CHANNEL_LABELS
from registry.settings.store import load_settings

log = logging.getLogger(__name__)


def enqueue(request_id):
    """Hand the forwarding to the worker (after the transaction that queued it committed)."""
    tasks.prepare_storage(tasks.huey)  # the web process may enqueue before any worker ran
    forward_request(request_id)


def message_for(request, controller, settings):
    """Return the EmailMessage forwarding `request` to the controller's privacy contacts (a
    stable Message-ID, so a second attempt is recognisable as the same message)."""
    return compose(
        list(request.forward_recipients),
        _l("Data subject request %(reference)s for %(name)s: %(type)s",
           reference=request.reference, name=controller.name, type=request.request_type),
        "requests/forward",
        message_id=f"subject-request-{request.id}",
        language=company_language(controller), settings=settings,
        request=request, controller=controller,
        article=REQUEST_TYPE_ARTICLES[request.request_type],
        channel=CHANNEL_LABELS.get(request.channel, request.channel),
        received_at=aware(request.received_at),
        processor_name=settings["processor_name"] or "your processor",
        processor_contact=settings["processor_contact"],
    )


def _pending(request_id):
    return (SubjectRequest.select(SubjectRequest, Controller).join(Controller)
            .where((SubjectRequest.id == request_id) & SubjectRequest.forwarded_at.is_null()
                   & (SubjectRequest.forward_recipients != Value("[]", converter=False))
                   & (SubjectRequest.forward_error == ""))
            .first())


def _record_sent(request, message_id):
    with write_transaction():
        SubjectRequest.update(forwarded_at=utcnow(), forwarded_to=list(request.forward_recipients),
                              forward_message_id=message_id).where(
            (SubjectRequest.id == request.id) & SubjectRequest.forwarded_at.is_null()).execute()
        audit.record("subject_request.forwarded", ("subject_request", request.id),
                     f"Data-subject request {request.reference} e-mailed to "
                     f"{request.controller.name}",
                     {"controller": request.controller_id,
                      "recipients": list(request.forward_recipients),
                      "message_id": message_id}, actor="worker")


def _record_failure(request, error):
    text = str(error)[:2000] or type(error).__name__
    with write_transaction():
        SubjectRequest.update(forward_error=text).where(SubjectRequest.id == request.id).execute()
        audit.record("subject_request.forward_failed", ("subject_request", request.id),
                     f"Data-subject request {request.reference}: e-mail to "
                     f"{request.controller.name} failed",
                     {"controller": request.controller_id, "error": text[:500]}, actor="worker")


@tasks.huey.task(name="requests.forward_request")
def forward_request(request_id):
    """Mail a queued data-subject request to its controller and record the delivery (worker)."""
    with tasks.app_context():
        request = _pending(request_id)
        if request is None:
            return
        try:
            mail = message_for(request, request.controller, load_settings())
            send(mail)
        except MailError as error:
            _record_failure(request, error)
            log.info("data-subject request %s: forwarding failed", request.reference)
            return
        _record_sent(request, str(mail["Message-ID"]))
        log.info("data-subject request %s forwarded", request.reference)
