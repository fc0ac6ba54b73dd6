"""Building messages: plain text and HTML from templates/email/, links from BASE_URL only.

Each message is written in its reader's language (`language`: fi, sv or en) and in the
processor's name (registry.mail.identity): From shows the processor, Reply-To reaches it, and
the subject starts with REGISTRY_NAME.
"""

from contextlib import contextmanager
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from urllib.parse import urlencode, urlsplit

from flask import current_app, has_request_context
from flask_babel import force_locale

from registry.clock import utc_now
from registry.i18n import DEFAULT_LANGUAGE, LANGUAGES, company_language
from registry.mail.errors import PermanentMailError
from registry.mail.identity import from_header, sender_identity, tagged_subject


def base_url():
    """Return the configured public address of the portal, without a trailing slash."""
    return current_app.config["BASE_URL"].rstrip("/")


def external_url(endpoint_or_path, **values):
    """Return an absolute link under BASE_URL to an endpoint (or to a path starting with /).

    Built from configuration only, never from a request's Host header, so it is safe in mail.
    """
    root = urlsplit(base_url())
    if endpoint_or_path.startswith("/"):
        path = root.path + endpoint_or_path
        query = urlencode({key: value for key, value in values.items() if value is not None})
        return f"{root.scheme}://{root.netloc}{path}" + (f"?{query}" if query else "")
    return _base_url_adapter().build(endpoint_or_path, values, force_external=True)


def _base_url_adapter():
    root = urlsplit(base_url())
    return current_app.url_map.bind(root.netloc, script_name=root.path or "/",
                                    url_scheme=root.scheme)


@contextmanager
def external_links():
    """Inside this block (outside any request), `url_for` builds absolute links under BASE_URL.

    For code shared with pages, such as `registry.findings_links.finding_url`, that calls
    `url_for` itself. It pushes an app context only: no request, no teardown closing the database.
    """
    if has_request_context():
        raise RuntimeError("external_links() is for mail built outside a request; "
                           "use external_url() inside one")
    context = current_app.app_context()
    context.url_adapter = _base_url_adapter()
    with context:
        yield


def sender_domain():
    """Return the domain of MAIL_FROM, used for generated Message-IDs."""
    _name, address = getaddresses([current_app.config["MAIL_FROM"]])[0]
    return address.rpartition("@")[2] or "localhost"


def stable_message_id(token):
    """Return `<token@domain>` (a complete `<id@domain>` is kept): same token, same Message-ID."""
    if token.startswith("<") and token.endswith(">") and "@" in token:
        return token
    return f"<{token}@{sender_domain()}>"


def _render(template, suffix, context):
    return current_app.jinja_env.get_template(f"email/{template}.{suffix}").render(context)


def _context(context, identity):
    return {
        "base_url": base_url(),
        "external_url": external_url,
        "registry_name": identity.registry_name,
        "sender": identity,
        "processor_name": identity.processor_name or identity.registry_name,
        **context,
    }


def mail_language(language):
    """Return `language` when the registry writes in it, else English."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def user_language(user):
    """Return the language to write to `user` in: their own choice, else their company's."""
    if getattr(user, "language", None) in LANGUAGES:
        return user.language
    if getattr(user, "subcontractor_id", None) is not None:
        return company_language(user.subcontractor)
    return DEFAULT_LANGUAGE


def _address(recipient):
    if isinstance(recipient, Address):
        return recipient
    if isinstance(recipient, tuple):
        name, addr_spec = recipient
        return Address(display_name=name or "", addr_spec=addr_spec)
    return Address(addr_spec=recipient)


def _set_headers(message, headers):
    for name, value in headers.items():
        if value is None:
            continue
        try:
            message[name] = value
        except (ValueError, TypeError) as error:
            # The email policy refuses CR/LF and malformed addresses: nothing can be injected.
            raise PermanentMailError(f"invalid {name} header: {error}") from None


def compose(to, subject, template, reply_to=None, message_id=None, language=None,
            settings=None, **context):
    """Build an EmailMessage with text and HTML parts rendered from templates/email/<template>.

    `to` is a list of addresses, (name, address) pairs or `Address` objects. `subject` may be a
    lazy string (`lazy_gettext`) or a function returning the text: it is translated, like the
    templates, into `language`. Pass
    `message_id` (a token, or a complete `<id@domain>`) to get a stable Message-ID; otherwise a
    unique one is generated. `reply_to` overrides the processor's reply address; `settings`
    (from `load_settings`) saves reading them again when many messages are built.
    """
    recipients = [to] if isinstance(to, str | tuple | Address) else list(to)
    if not recipients:
        raise PermanentMailError("a message needs at least one recipient")
    message = EmailMessage()
    try:
        to_header = [_address(recipient) for recipient in recipients]
    except (ValueError, TypeError) as error:
        raise PermanentMailError(f"invalid recipient: {error}") from None
    identity = sender_identity(settings)
    with force_locale(mail_language(language)):
        subject = tagged_subject(subject() if callable(subject) else str(subject), identity)
        values = _context(context, identity)
        text, html = _render(template, "txt", values), _render(template, "html", values)
    _set_headers(message, {
        "From": from_header(identity),
        "To": to_header,
        "Reply-To": reply_to or identity.reply_address,
        "Subject": subject,
        "Date": format_datetime(utc_now()),
        "Message-ID": (stable_message_id(message_id) if message_id
                       else make_msgid(domain=sender_domain())),
        "Auto-Submitted": "auto-generated",
    })
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message
