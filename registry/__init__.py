"""dpa-registry: prove that a GDPR processor's DPAs and sub-processors are in order."""

import logging
import os
from pathlib import Path

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from registry import clock, concurrency, disk_full, faults
from registry import config as configuration
from registry.db import Timeouts, bind, opens_own_connection, redact
from registry.extensions import database
from registry.instance import prepare_sqlite_file

PACKAGE_DIR = Path(__file__).resolve().parent
FORM_OVERHEAD = 64 * 1024
log = logging.getLogger(__name__)


def asset_dir(name):
    """Return the folder of `templates`, `static` or `migrations`, installed or in a checkout."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PACKAGE_DIR.parent / name


def instance_dir():
    """Return the instance folder: REGISTRY_INSTANCE_PATH, else ./instance."""
    return Path(os.environ.get("REGISTRY_INSTANCE_PATH") or Path.cwd() / "instance").resolve()


class Registry(Flask):
    """Flask, answering 503 also for a database outage before any view runs."""

    def handle_exception(self, e):
        """Answer a database outage with 503; anything else as Flask does (a 500)."""
        return faults.handle_early_outage(self, e) or super().handle_exception(e)


def create_app(config=None):
    """Build the Flask app from defaults, REGISTRY_* variables and `config` (for tests)."""
    app = Registry(
        __name__,
        instance_path=str(instance_dir()),
        template_folder=str(asset_dir("templates")),
        static_folder=str(asset_dir("static")),
    )
    _configure(app, config or {})
    clock.init_app(app)
    prepare_sqlite_file(app.config["DATABASE_URL"])
    bind(app.config["DATABASE_URL"], Timeouts.from_config(app.config))
    _connect_per_request(app)
    _register_blueprints(app)
    faults.init_app(app)
    disk_full.init_app(app)
    concurrency.init_app(app)
    _register_cli(app)
    _trust_proxies(app)
    log.debug("app ready on %s", redact(app.config["DATABASE_URL"]))
    return app


def _configure(app, overrides):
    settings = configuration.defaults(app.instance_path)
    settings.update(configuration.from_environment())
    settings.update(overrides)
    configuration.ensure_secret(settings, "SECRET_KEY", app.instance_path, "secret_key")
    configuration.ensure_secret(settings, "TOTP_KEY", app.instance_path, "totp_key")
    configuration.ensure_secret(settings, "AUDIT_KEY", app.instance_path, "audit_key")
    app.config.update(settings)
    # The body also carries the form's other fields: allow a little room beyond the file itself,
    # whose own limit registry.documents checks.
    app.config["MAX_CONTENT_LENGTH"] = settings["MAX_UPLOAD_MB"] * 1024 * 1024 + FORM_OVERHEAD
    app.config["DEBUG"] = False
    app.config["TRUSTED_HOSTS"] = configuration.trusted_hosts(settings)


def _trust_proxies(app):
    """Behind PROXY_HOPS reverse proxies, take the client's address and scheme from them.

    Per-IP rate limits and audit entries need the real client address; trusting more hops
    than really exist would let a client forge it, so the default is none.
    """
    hops = app.config["PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _connect_per_request(app):
    @app.before_request
    def open_connection():
        if not opens_own_connection(app.view_functions.get(request.endpoint)):
            database.connect(reuse_if_open=True)

    @app.teardown_request
    def close_connection(_exception):
        if not database.is_closed():
            database.close()


def _register_blueprints(app):
    from registry.auth import init_app as init_auth  # first: sessions, access rules, headers
    from registry.core import blueprint as core

    init_auth(app)
    from registry.sso import init_app as init_sso

    init_sso(app)
    from registry.formatting import init_app as init_formatting

    init_formatting(app)
    from registry import i18n

    i18n.init_app(app)
    app.register_blueprint(core)
    from registry.admin import blueprint as admin

    app.register_blueprint(admin)
    from registry.alerts import blueprint as alerts

    app.register_blueprint(alerts)
    from registry.mail import outbox
    from registry.mail.views import blueprint as mail

    outbox.init_app(app)
    app.register_blueprint(mail)
    from registry.webhooks import events as webhook_events
    from registry.webhooks.views import blueprint as webhooks

    webhook_events.init_app(app)
    app.register_blueprint(webhooks)
    from registry.calendar.views import blueprint as calendar

    app.register_blueprint(calendar)
    from registry.documents import request_too_large

    app.register_error_handler(413, request_too_large)
    from registry.portal import blueprint as portal
    from registry.portal.invitations import blueprint as portal_invitations

    app.register_blueprint(portal)
    app.register_blueprint(portal_invitations)
    from registry.incidents.views import blueprint as incidents

    app.register_blueprint(incidents)
    from registry.requests.views import blueprint as requests

    app.register_blueprint(requests)
    from registry.engagements import blueprint as engagements
    from registry.review import blueprint as review
    from registry.subcontractors import blueprint as subcontractors

    app.register_blueprint(subcontractors)
    app.register_blueprint(engagements)
    app.register_blueprint(review)
    from registry.reports import blueprint as reports

    app.register_blueprint(reports)
    from registry.return_or_deletion.views import blueprint as return_or_deletion

    app.register_blueprint(return_or_deletion)
    from registry.settings import blueprint as settings

    app.register_blueprint(settings)
    from registry.interchange import blueprint as interchange

    app.register_blueprint(interchange)
    from registry.dashboard import blueprint as dashboard

    app.register_blueprint(dashboard)
    from registry.controllers import blueprint as controllers

    app.register_blueprint(controllers)
    from registry.dpas import blueprint as dpas

    app.register_blueprint(dpas)
    from registry.instructions import blueprint as instructions

    app.register_blueprint(instructions)
    from registry.audit_trail import blueprint as audit_trail

    app.register_blueprint(audit_trail)
    from registry.reference import blueprint as reference

    app.register_blueprint(reference)
    from registry.controller_pages.public_views import blueprint as public_subprocessors
    from registry.controller_pages.views import blueprint as controller_pages

    app.register_blueprint(controller_pages)
    app.register_blueprint(public_subprocessors)
    from registry import api  # after the pages: its error answers wrap their handlers

    api.init_app(app)


def _register_cli(app):
    from registry.cli import register_commands

    register_commands(app)
