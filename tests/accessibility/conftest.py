"""One demo registry served once for the whole accessibility walk, and its visitors.

The module-scoped `site` loads the demo (`dpa-registry demo`) into a fresh SQLite copy, adds a
user of every role (the subcontractor user belongs to the demo company with the most evidence),
and issues the links people follow from e-mails: a controller's personal page, an invitation,
a password reset, a controller confirmation, a subscription confirmation and an unsubscribe link.
"""

import shutil
import threading
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from peewee import fn
from waitress import wasyncore
from waitress.server import create_server

from registry import create_app
from registry.auth import accounts
from registry.controller_pages import links, subscriptions, tokens
from registry.extensions import database
from registry.models import (
    Attestation,
    Controller,
    ControllerConfirmation,
    Engagement,
    Incident,
    Subcontractor,
    SubprocessorSubscription,
    utcnow,
)
from tests.conftest import base_config
from tests.factories import make_user


@dataclass
class Site:
    """The served demo: its root URL, the app, a user per role and the e-mailed links' paths."""

    app: object
    url: str
    users: dict = field(default_factory=dict)
    mailed_paths: list = field(default_factory=list)
    role_paths: dict = field(default_factory=dict)  # pages a role visits first

    def at(self, path):
        """Return the absolute URL of `path`."""
        return self.url + path


def _busiest_subcontractor():
    """The demo company with the most evidence on record: its portal has the most to show."""
    return (Subcontractor.select(Subcontractor, fn.COUNT(Attestation.id).alias("evidence"))
            .join(Attestation).group_by(Subcontractor).order_by(fn.COUNT(Attestation.id).desc())
            .first())


def _subscription_token():
    token = tokens.new_token()
    SubprocessorSubscription.create(email="reader@example.test", requested_at=utcnow(),
                                    confirm_token_hash=tokens.token_hash(token))
    return token


def _mailed_paths(users):
    """Paths of the links people follow from e-mails, each valid and unused."""
    controller = Controller.select().join(Engagement).first()
    invited = make_user("legal", password=None, enrolled=False, email="invited@example.test")
    subscribed = SubprocessorSubscription.create(email="subscriber@example.test",
                                                 requested_at=utcnow(), confirmed_at=utcnow())
    paths = [
        f"/c/{links.issue_link(controller, 'cli')}",
        f"/invitation/{accounts.new_link(invited, 'invitation')}",
        f"/password/reset/{accounts.new_link(users['legal'], 'password_reset')}",
        f"/sub-processors/subscription/{_subscription_token()}",
        f"/sub-processors/unsubscribe/{subscriptions.unsubscribe_token(subscribed.id)}",
        "/invitation/no-such-link",
    ]
    engagement = Engagement.select().where(Engagement.controller == controller).first()
    confirmation = tokens.new_token()
    ControllerConfirmation.create(
        request_key="a11y-walk", controller=controller, kind="objection", engagement=engagement,
        reason="Checked by the walk", email="privacy@example.test",
        token_hash=tokens.token_hash(confirmation), expires_at=utcnow() + timedelta(hours=72))
    paths.append(f"/c/confirmations/{confirmation}")
    return paths


def _role_paths(users):
    """Pages to see first: another user's page (the admin's own has fewer forms), and pages
    no link of the demo leads to."""
    controller = Controller.select().first()
    subcontractor = users["subcontractor"].subcontractor
    incident = Incident.select().where(Incident.subcontractor == subcontractor).first()
    staff = [f"/admin/users/{users['legal'].id}", f"/controllers/{controller.id}/dpas/new",
             "/export"]
    return {"admin": staff, "legal": staff[1:],
            "subcontractor": [f"/portal/incidents/{incident.id}"] if incident else []}


@pytest.fixture(scope="module")
def site(sqlite_template, tmp_path_factory):
    """Serve the demo registry with waitress on a free port for the module's tests."""
    folder = tmp_path_factory.mktemp("a11y-site")
    path = folder / "registry.sqlite3"
    shutil.copyfile(sqlite_template, path)
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(folder / "instance"))
    app = create_app(base_config(folder, f"sqlite:///{path}"))
    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="dpa-registry-a11y")
    thread = threading.Thread(target=server.run, name="a11y-waitress", daemon=True)
    thread.start()
    try:
        with app.app_context():
            database.connect(reuse_if_open=True)
            loaded = app.test_cli_runner().invoke(args=["demo"])
            assert loaded.exit_code == 0, loaded.output
            users = {role: make_user(role) for role in ("admin", "legal", "auditor")}
            users["subcontractor"] = make_user("subcontractor",
                                               subcontractor=_busiest_subcontractor())
            users["enrolling"] = make_user("legal", enrolled=False)
            site = Site(app=app, url=f"http://127.0.0.1:{server.effective_port}", users=users,
                        mailed_paths=_mailed_paths(users), role_paths=_role_paths(users))
            yield site
            if not database.is_closed():
                database.close()
    finally:
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)
        thread.join(timeout=5)
        monkeypatch.undo()
