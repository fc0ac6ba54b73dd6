"""Mail: `compose` builds a message from templates/email/, `send` delivers it (after the commit).

    from registry.mail import compose, send
    message = compose(["ann@example.com"], "Welcome", "auth/invitation", link=...)
    send(message)   # raises TemporaryMailError (retry later) or PermanentMailError
"""

from registry.mail.compose import (
    base_url,
    compose,
    external_links,
    external_url,
    stable_message_id,
)
from registry.mail.errors import MailError, PermanentMailError, TemporaryMailError
from registry.mail.transport import parse_smtp_url, send, send_or_log, session

__all__ = [
    "MailError",
    "PermanentMailError",
    "TemporaryMailError",
    "base_url",
    "compose",
    "external_links",
    "external_url",
    "parse_smtp_url",
    "send",
    "send_or_log",
    "session",
    "stable_message_id",
]
