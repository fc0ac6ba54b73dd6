"""The delivery thread of `dpa-registry serve`: the outbox delivered in a one-process setup.

With MAIL_DELIVERY=serve (the default) the server process runs this thread beside waitress:
it delivers the outbox when a request queued mail (`outbox.kick`) and every minute anyway (for
retries, and mail queued by the CLI). With MAIL_DELIVERY=worker a `dpa-registry worker`
delivers instead, and serve starts no thread. What was claimed and not sent when it stops is
given back.
"""

import logging

from registry.background import BackgroundThread, running
from registry.mail import outbox
from registry.mail.delivery import deliver_due

log = logging.getLogger(__name__)


class BackgroundDelivery(BackgroundThread):
    """Delivers the outbox of its app when woken, and every minute."""

    name = "mail-delivery"
    key = outbox.DELIVERER

    def work(self, should_stop):
        """Deliver what is due, and log what happened (counts only)."""
        report = deliver_due(should_stop=should_stop)
        if report.sent or report.retried or report.failed:
            log.info("mail: %d sent, %d to retry, %d failed", report.sent, report.retried,
                     report.failed)


def delivering(app):
    """Run the delivery thread while the block runs, when MAIL_DELIVERY is `serve`."""
    return running(BackgroundDelivery, app, app.config["MAIL_DELIVERY"] == "serve")
