"""Browser-test fixtures: the app served by waitress on a free port, driven by Debian's chromium.

`live_server` serves a fresh SQLite file database (a copy of the migrated template) from a
background thread; the test body runs inside that app's context with an open connection, so
factories write the rows the browser then reads. `page` is a fresh browser context per test.
`sign_in(page, live_server, user)` signs in through the real password and TOTP forms, and
`screenshot(page, name)` saves a PNG into test-artifacts/ (git-ignored) for people to look at.

Playwright never downloads a browser here: it drives /usr/bin/chromium.
"""

import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from waitress import wasyncore
from waitress.server import create_server

from registry import create_app
from registry.auth import totp
from registry.extensions import database
from registry.models import User
from tests.conftest import base_config
from tests.factories import PASSWORD, totp_code_for

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
LAPTOP = {"width": 1280, "height": 900}
# How long a click, a navigation or an `expect` may wait: generous, because the suite must pass
# on a 2-core machine with a load average of 10, where a page can take seconds to answer.
WAIT_MS = 30_000
expect.set_options(timeout=WAIT_MS)
TABLET = {"width": 820, "height": 1180}


@dataclass
class LiveServer:
    """A running app: `url` is its root, `app` the Flask app the test body's context belongs to."""

    app: object
    url: str

    def at(self, path):
        """Return the absolute URL of `path` on this server."""
        return self.url + path


@pytest.fixture
def live_server(sqlite_template, tmp_path, monkeypatch):
    """Serve a fresh app with waitress on 127.0.0.1 and a free port; stop it afterwards."""
    path = tmp_path / "registry.sqlite3"
    shutil.copyfile(sqlite_template, path)
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(base_config(tmp_path, f"sqlite:///{path}"))
    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="dpa-registry-e2e")
    thread = threading.Thread(target=server.run, name="e2e-waitress", daemon=True)
    thread.start()
    try:
        with app.app_context():
            database.connect(reuse_if_open=True)
            yield LiveServer(app=app, url=f"http://127.0.0.1:{server.effective_port}")
            if not database.is_closed():
                database.close()
    finally:
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)
        thread.join(timeout=5)


@pytest.fixture
def page(browser):
    """Return a new page in its own browser context (cookies do not leak between tests)."""
    context = browser.new_context(viewport=LAPTOP)
    context.set_default_timeout(WAIT_MS)
    opened = context.new_page()
    yield opened
    context.close()


def fresh_totp_code(user):
    """Return a code the server accepts now, even if this user signed in during this step."""
    step = totp.current_step()
    if User.get_by_id(user.id).totp_last_step >= step:
        User.update(totp_last_step=step - 1).where(User.id == user.id).execute()
    return totp_code_for(user)


def sign_in(page, live_server, user, password=PASSWORD):
    """Sign `user` in through /login and /login/totp in the browser; end on the landing page."""
    page.goto(live_server.at("/login"))
    page.get_by_label("E-mail address").fill(user.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/login/totp")
    page.get_by_label("Six-digit code").fill(fresh_totp_code(user))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(lambda url: not urlsplit(url).path.startswith("/login"))


def screenshot(page, name, viewport=None):
    """Save a full-page PNG of `page` as test-artifacts/<name>.png (optionally at `viewport`)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    if viewport is not None:
        page.set_viewport_size(viewport)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    if viewport is not None:
        page.set_viewport_size(LAPTOP)
    return target
