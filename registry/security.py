"""The security baseline every response gets: headers (CSP with a nonce), caching, error pages.

`init_app` installs an `after_request` hook, which Flask also runs for error pages and file
downloads, and the generic error pages (no tracebacks, no internals) for 400-500.
"""

import logging
import math
import secrets
import time

from flask import current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import IntegerConverter

from registry.extensions import limiter

log = logging.getLogger(__name__)

NONCE_KEY = "registry.csp_nonce"
RETRY_AFTER_FALLBACK = 60
CSRF_EXPIRED = "The CSRF token has expired."  # Flask-WTF's description, matched exactly
# A download is never a page: it may run nothing, load nothing and be framed by nothing.
DOWNLOAD_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"
# Every id column is a 32-bit SERIAL on PostgreSQL (and SQLite's are 64-bit): a larger id in a URL
# names nothing, and must not reach the database, which would fail with a 500.
MAX_ID = 2**31 - 1
ERROR_CODES = (400, 403, 404, 405, 413, 429, 500)
ERROR_TEXT = {
    400: (_l("Bad request"), _l("The request could not be understood. If you submitted a form, "
                                "reload the page and try again.")),
    403: (_l("Not allowed"), _l("Your account may not open this page.")),
    404: (_l("Page not found"), _l("There is nothing at this address.")),
    405: (_l("Method not allowed"), _l("This page cannot be used that way.")),
    413: (_l("File too large"), _l("The upload is larger than this registry accepts.")),
    429: (_l("Too many requests"), _l("Please wait a moment before trying again.")),
    500: (_l("Something went wrong"), _l("The error has been logged. Please try again later.")),
}


def csp_nonce():
    """Return this request's CSP nonce (for `<script nonce=...>` in templates)."""
    environ = request.environ
    if NONCE_KEY not in environ:
        environ[NONCE_KEY] = secrets.token_urlsafe(18)
    return environ[NONCE_KEY]


def content_security_policy(nonce):
    """Return the Content-Security-Policy value: only our own assets, no framing, no plugins."""
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ))


def _is_https(app):
    return request.is_secure or app.config["BASE_URL"].startswith("https://")


def is_download(response):
    """Tell whether `response` is a file to save (Content-Disposition: attachment)."""
    disposition = response.headers.get("Content-Disposition", "")
    return disposition.strip().lower().startswith("attachment")


def add_security_headers(response, app):
    """Set the security headers on `response` (every response, errors and downloads included).

    A policy the view set itself is kept (it is the stricter one), and every download gets
    DOWNLOAD_POLICY: a PDF, CSV or JSON file opened in the browser must not get the page's.
    """
    headers = response.headers
    if is_download(response):
        headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    elif "Content-Security-Policy" not in headers:
        headers["Content-Security-Policy"] = content_security_policy(csp_nonce())
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    # same-origin: link tokens never leave the site, and Flask-WTF's HTTPS referrer check works.
    # A stricter policy a page set itself (a controller's capability page) is kept.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()"
    if _is_https(app):
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if request.endpoint != "static":
        # Pages can show personal data or carry tokens: never keep them in any cache.
        headers["Cache-Control"] = "no-store"
        headers["Pragma"] = "no-cache"
    return response


def _render_error(code, title=None, text=None):
    title, text = title or ERROR_TEXT[code][0], text or ERROR_TEXT[code][1]
    try:
        return render_template("errors/error.html", code=code, title=title, text=text), code
    except Exception:  # the page must not fail again while reporting a failure
        log.exception("error page %s could not be rendered", code)
        return f"<!doctype html><title>{code}</title><h1>{escape(title)}</h1>", code


def retry_after_seconds():
    """Return in how many whole seconds the limit this request broke lets it through again."""
    limit = limiter.current_limit
    if limit is None:
        return RETRY_AFTER_FALLBACK
    # Flask-Limiter's windows run on the system clock, so the wait is measured on it too.
    return max(1, math.ceil(limit.reset_at - time.time()))


def handle_http_error(error):
    """Render the generic page of an HTTP error (the description is never shown)."""
    code = error.code if error.code in ERROR_TEXT else 500
    response, status = _render_error(code)
    if code == 429:
        return response, status, {"Retry-After": str(retry_after_seconds())}
    if isinstance(error, HTTPException) and error.code == 405:
        allowed = error.get_response().headers.get("Allow")
        return response, status, {"Allow": allowed} if allowed else {}
    return response, status


class IdConverter(IntegerConverter):
    """`<int:...>` that answers 404 to an id larger than the database can hold.

    NotFound rather than a failed match: with a failed match, a path that also has a rule for
    another method (GET and POST /dpas/<id>/document) would answer 405.
    """

    def to_python(self, value):
        """Return the id, or raise NotFound when it is larger than MAX_ID."""
        number = super().to_python(value)
        if number > MAX_ID:
            raise NotFound()
        return number


def handle_csrf_error(error):
    """Answer a refused CSRF token with 400; say so plainly when the form was open too long."""
    from registry.audit_trail import security_log

    security_log.record_csrf_refusal(error.description)
    if error.description != CSRF_EXPIRED:
        return handle_http_error(error)
    minutes = current_app.config["WTF_CSRF_TIME_LIMIT"] // 60
    return _render_error(400, _("This form has expired"), _(
        "The page was open for more than %(minutes)s minutes, so the form can no longer be "
        "sent. Nothing was changed. Reload the page, fill it in again and submit it.",
        minutes=minutes))


def refuse_nul_characters():
    """Refuse a page request whose fields or query hold a NUL character, with a clear page.

    No one types one, and PostgreSQL cannot store it in text, so it would otherwise reach the
    database and fail there with a 500. The API refuses it itself, as a problem document.
    """
    if request.path.startswith("/api/"):
        return None
    values = [*request.args.values(), *request.args.keys()]
    if request.method in ("POST", "PUT", "PATCH"):
        values += [*request.form.values(), *request.form.keys(),
                   *(upload.filename or "" for upload in request.files.values())]
    if not any("\x00" in value for value in values):
        return None
    return _render_error(400, _("This text cannot be saved"), _(
        "A field holds an invisible NUL character (often pasted from another program). Nothing "
        "was changed. Retype the text or paste it as plain text, then submit it again."))


def init_app(app):
    """Install the id converter, the headers hook, `csp_nonce()` and the error pages.

    Call before any blueprint is registered: a rule binds its converter when it is added.
    """
    app.url_map.converters["int"] = IdConverter
    app.after_request(lambda response: add_security_headers(response, app))
    app.before_request(refuse_nul_characters)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    # Flask logs an unhandled exception itself before it reaches the 500 handler.
    for code in ERROR_CODES:
        app.register_error_handler(code, handle_http_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
