"""Mail: `compose` builds a message from templates/email/, the outbox delivers it.

    from registry.mail import compose, send_or_log
    with write_transaction():
        ...                                   # the change the message tells about
        send_or_log(compose(["ann@example.com"], "Welcome", "auth/invitation", link=...),
                    "invitation")             # queued in the same transaction

Web requests never talk to the mail server: `send_or_log`/`enqueue` write to the outbox
(`registry.mail.outbox`), and the worker or the delivery thread of `dpa-registry serve`
sends it (`registry.mail.delivery`). `send` and `session` deliver at once, for the worker's
own jobs and the CLI; they raise TemporaryMailError (retry later) or PermanentMailError.
"""

from registry.mail.compose import (
    base_url,
    compose,
    external_links,
    external_url,
    stable_message_id,
    user_language,
)
from registry.mail.errors import MailError, PermanentMailError, TemporaryMailError
from registry.mail.outbox import enqueue, kick, send_or_log
from registry.mail.transport import parse_smtp_url, send, session

__all__ = [
    "MailError",
    "PermanentMailError",
    "TemporaryMailError",
    "base_url",
    "compose",
    "enqueue",
    "external_links",
    "external_url",
    "kick",
    "parse_smtp_url",
    "send",
    "send_or_log",
    "session",
    "stable_message_id",
    "user_language",
]
