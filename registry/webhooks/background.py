"""Webhook delivery beside `dpa-registry serve` (WEBHOOK_DELIVERY=serve, the default).

Like the mail thread (registry.mail.background): a pass announces the findings raised and
cleared since the last one (registry.webhooks.findings) and delivers what is due, when a
request queued an event and every minute anyway (retries). With WEBHOOK_DELIVERY=worker the
`dpa-registry worker` does the same every minute and serve starts no thread.
"""

import logging

from registry.background import BackgroundThread, running
from registry.webhooks import events
from registry.webhooks.delivery import deliver_due
from registry.webhooks.findings import announce_changes

log = logging.getLogger(__name__)


def one_pass(should_stop=lambda: False):
    """Announce changed findings, then deliver the due events; log the counts."""
    raised, cleared = announce_changes()
    report = deliver_due(should_stop=should_stop)
    if raised or cleared or report.delivered or report.retried or report.failed:
        log.info("webhooks: %d findings raised, %d cleared; %d delivered, %d to retry, "
                 "%d given up", raised, cleared, report.delivered, report.retried, report.failed)
    return report


class BackgroundWebhooks(BackgroundThread):
    """Delivers the webhook outbox of its app when woken, and every minute."""

    name = "webhook-delivery"
    key = events.DELIVERER

    def work(self, should_stop):
        """Do one pass."""
        one_pass(should_stop)


def delivering_webhooks(app):
    """Run the thread while the block runs, when WEBHOOK_DELIVERY is `serve`."""
    return running(BackgroundWebhooks, app, app.config["WEBHOOK_DELIVERY"] == "serve")
