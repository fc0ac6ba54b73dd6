"""dpa-registry: prove that a GDPR processor's DPAs and sub-processors are in order."""

import importlib
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


# What `create_app` installs, in this order. Security first: its id converter must be in place
# before any blueprint adds a rule. Then sessions, sign-in, access control and CSRF (auth), and
# what pages share. The blueprints in the order their rules are matched. The API last: its
# problem answers wrap the error handlers the pages registered.
EXTENSIONS = (
    "registry.security",
    "registry.auth",
    "registry.navigation",
    "registry.sso",
    "registry.formatting",
    "registry.i18n",
    "registry.mail.outbox",
    "registry.webhooks.events",
)
BLUEPRINTS = (
    "registry.core",
    "registry.admin",
    "registry.alerts",
    "registry.mail.views",
    "registry.webhooks.views",
    "registry.calendar.views",
    "registry.portal",
    "registry.portal.invitations",
    "registry.incidents.views",
    "registry.requests.views",
    "registry.subcontractors",
    "registry.engagements",
    "registry.review",
    "registry.reports",
    "registry.return_or_deletion.views",
    "registry.settings",
    "registry.interchange",
    "registry.dashboard",
    "registry.controllers",
    "registry.dpas",
    "registry.instructions",
    "registry.audit_trail",
    "registry.reference",
    "registry.controller_pages.views",
    "registry.controller_pages.public_views",
)


def _register_blueprints(app):
    for name in EXTENSIONS:
        importlib.import_module(name).init_app(app)
    from registry.documents import request_too_large

    app.register_error_handler(413, request_too_large)
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(name).blueprint)
    from registry import api

    api.init_app(app)


def _register_cli(app):
    from registry.cli import register_commands

    register_commands(app)
