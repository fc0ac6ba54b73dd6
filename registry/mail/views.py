"""The admins' mail page (/admin/mail): the outbox, what waits, what was sent, what failed."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from registry import audit
from registry.auth.access import roles_required
from registry.db import write_transaction
from registry.mail import outbox
from registry.models import MAIL_STATUSES, MailMessage, utcnow

blueprint = Blueprint("mail", __name__, url_prefix="/admin/mail")
PAGE_SIZE = 50


@blueprint.get("/")
@roles_required("admin")
def list_messages():
    """List the outbox newest first, optionally of one status, with its delivery records."""
    status = request.args.get("status")
    status = status if status in MAIL_STATUSES else None
    messages, total, page, pages = outbox.message_page(
        status, request.args.get("page", 1, type=int) or 1, PAGE_SIZE)
    return render_template("mail/list.html", messages=messages, status=status,
                           counts=outbox.status_counts(), oldest=outbox.oldest_queued_age(),
                           total=total, page=page, pages=pages)


@blueprint.post("/retry")
@roles_required("admin")
def retry_now():
    """Make every queued message due now (after the mail server was fixed, say)."""
    with write_transaction():
        waiting = MailMessage.update(next_attempt_at=utcnow()).where(
            (MailMessage.status == "queued") & (MailMessage.next_attempt_at > utcnow())
        ).execute()
        audit.record("mail.retry_requested", None, f"Retry now asked for {waiting} queued "
                     f"e-mail{'s' if waiting != 1 else ''}", {"messages": waiting})
    if waiting:
        flash(ngettext("%(num)d waiting e-mail is tried again now.",
                       "%(num)d waiting e-mails are tried again now.", waiting), "success")
    else:
        flash(_("Nothing was waiting for a retry."), "info")
    return redirect(url_for(".list_messages", status="queued"))
