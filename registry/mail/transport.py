"""Delivering messages: SMTP (smtp:// with optional STARTTLS, smtps://) or .eml files in OUTBOX_DIR.

Errors are mapped to TemporaryMailError (retry later) or PermanentMailError (do not retry). No
message body and no password ever reaches a log line or an error message.
"""

import itertools
import logging
import secrets
import smtplib
import ssl
from contextlib import contextmanager
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from flask import current_app

from registry.clock import utc_now
from registry.files import DiskFull, write_atomically
from registry.mail.errors import MailError, PermanentMailError, TemporaryMailError

log = logging.getLogger(__name__)
DEFAULT_TIMEOUT = 30
TRUE_VALUES = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect, parsed from SMTP_URL (`password` is never printed)."""

    host: str
    port: int
    implicit_tls: bool
    starttls: bool
    username: str | None
    password: str | None
    timeout: float

    @property
    def label(self):
        """Return `host:port`, safe for logs and error messages."""
        return f"{self.host}:{self.port}"

    def __repr__(self):
        return f"SmtpSettings({self.label}, user={self.username!r}, password=***)"


def parse_smtp_url(url):
    """Return SmtpSettings for `smtp://user:pass@host:port?starttls=1&timeout=10` or `smtps://`."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise MailError(f"SMTP_URL must start with smtp:// or smtps://, got {parts.scheme!r}")
    options = dict(parse_qsl(parts.query))
    implicit_tls = parts.scheme == "smtps"
    try:
        timeout = float(options.get("timeout", DEFAULT_TIMEOUT))
    except ValueError:
        raise MailError("SMTP_URL timeout must be a number of seconds") from None
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or (465 if implicit_tls else 25),
        implicit_tls=implicit_tls,
        starttls=options.get("starttls", "").lower() in TRUE_VALUES,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        timeout=timeout,
    )


def _by_code(code, text, refused=None):
    if code is not None and 400 <= code < 500:
        return TemporaryMailError(text, code=code, refused=refused)
    return PermanentMailError(text, code=code, refused=refused)


def _reply(error):
    message = error.smtp_error
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return str(message).strip()


def map_error(error, label):
    """Translate an smtplib/socket exception into a MailError subclass."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = {address: code for address, (code, _text) in error.recipients.items()}
        codes = sorted(set(refused.values()))
        text = f"{label} refused every recipient (codes {', '.join(map(str, codes))})"
        temporary = any(400 <= code < 500 for code in codes)
        error_class = TemporaryMailError if temporary else PermanentMailError
        return error_class(text, code=max(codes), refused=refused)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        # A wrong password is the operator's to fix: keep the message and retry later.
        return TemporaryMailError(f"{label} refused the login ({error.smtp_code})",
                                  code=error.smtp_code, unreachable=True)
    if isinstance(error, smtplib.SMTPConnectError):
        # A refused greeting concerns the server, not this message: keep it and retry later.
        return TemporaryMailError(f"{label} refused the connection ({error.smtp_code})",
                                  code=error.smtp_code, unreachable=True)
    if isinstance(error, smtplib.SMTPResponseException):
        return _by_code(error.smtp_code, f"{label} answered {error.smtp_code} {_reply(error)}")
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return TemporaryMailError(f"{label}: {error}", unreachable=True)
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        reason = type(error).__name__ if not str(error) else f"{type(error).__name__}: {error}"
        return TemporaryMailError(f"cannot reach {label} ({reason})", unreachable=True)
    return MailError(f"{label}: {type(error).__name__}")


class SmtpConnection:
    """One SMTP session that sends many messages and reconnects after the server hangs up."""

    def __init__(self, settings):
        self.settings = settings
        self.client = None

    def _connect(self):
        settings = self.settings
        context = ssl.create_default_context()
        if settings.implicit_tls:
            client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                      context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        try:
            client.ehlo()
            if settings.starttls:
                client.starttls(context=context)
                client.ehlo()
            if settings.username:
                client.login(settings.username, settings.password or "")
        except BaseException:
            client.close()
            raise
        return client

    def send(self, message):
        """Deliver one message; raise a MailError subclass when it is not accepted."""
        label = self.settings.label
        try:
            if self.client is None:
                self.client = self._connect()
            refused = self.client.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
                self.close()
            raise map_error(error, label) from None
        if refused:
            codes = {address: code for address, (code, _text) in refused.items()}
            named = ", ".join(f"{address} ({code})" for address, code in sorted(codes.items()))
            raise _by_code(max(codes.values()), f"{label} refused {named}; the other recipients "
                           "got the message", refused=codes)
        log.info("sent %s via %s", message["Message-ID"], label)

    def close(self):
        """End the session politely, ignoring a server that is already gone."""
        if self.client is None:
            return
        try:
            self.client.quit()
        except (smtplib.SMTPException, OSError):
            self.client.close()
        self.client = None

    def abort(self):
        """Drop the connection without QUIT, which a hung server would never answer."""
        if self.client is not None:
            self.client.close()
            self.client = None


_outbox_sequence = itertools.count()


class OutboxConnection:
    """Writes each message as an .eml file into a folder (development, demos, tests)."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def send(self, message):
        """Write the message to `<folder>/<time>-<sequence>-<id hash>-<random>.eml`, whole or not
        at all (`registry.files`: a full disk leaves no partial file).

        The per-process sequence keeps names in sending order when the clock stands still.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = utc_now().strftime("%Y%m%dT%H%M%S%f")
        sequence = next(_outbox_sequence)
        digest = sha256(str(message["Message-ID"]).encode()).hexdigest()[:12]
        path = self.folder / f"{stamp}-{sequence:08d}-{digest}-{secrets.token_hex(3)}.eml"
        try:
            write_atomically(path, message.as_bytes())
        except DiskFull as error:
            # Like a mail server that is full: keep the message queued and try again later.
            raise TemporaryMailError(str(error)) from error
        log.info("wrote %s to %s", message["Message-ID"], path.name)

    def close(self):
        """Nothing to release."""

    def abort(self):
        """Nothing to release."""


def open_connection():
    """Return the configured transport: SMTP when SMTP_URL is set, else the outbox folder."""
    url = current_app.config.get("SMTP_URL")
    if url:
        return SmtpConnection(parse_smtp_url(url))
    return OutboxConnection(current_app.config["OUTBOX_DIR"])


@contextmanager
def session():
    """Yield a connection whose `send(message)` reuses one SMTP session for many messages."""
    connection = open_connection()
    try:
        yield connection
    except MailError:
        connection.close()
        raise
    except BaseException:
        # Interrupted (SIGTERM) mid-conversation: the server may be what hangs, so no QUIT.
        connection.abort()
        raise
    connection.close()


def send(message):
    """Deliver one message through SMTP_URL, or write it to OUTBOX_DIR when SMTP_URL is unset."""
    with session() as connection:
        connection.send(message)

