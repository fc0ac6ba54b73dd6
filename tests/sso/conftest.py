"""A real OpenID provider on loopback (the certified `oidc-provider` on Node), once per session.

Its npm packages are installed into tests/sso/provider/node_modules on first use (`npm ci`).
Without Node or npm the tests are skipped with the reason, except in CI (`CI=true`), where a
missing tool fails them.
"""

import json
import os
import selectors
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from registry import create_app
from registry.extensions import database
from tests.auth_helpers import csrf_token
from tests.conftest import _truncate_all, base_config

PROVIDER_DIR = Path(__file__).parent / "provider"
CLIENT_ID = "dpa-registry"
CLIENT_SECRET = "test-client-secret-" + "s" * 32
REDIRECT_URI = "http://registry.test/auth/oidc/callback"
MFA_ACR = "urn:test:loa:high"
STARTUP_SECONDS = 30
ACCOUNTS = {
    "alice": {"claims": {"email": "alice@example.test", "email_verified": True},
              "amr": ["pwd", "mfa"]},
    "bob": {"claims": {"email": "Bob@Example.test", "email_verified": True}, "amr": ["pwd"]},
    "carol": {"claims": {"email": "carol@example.test", "email_verified": True},
              "acr": MFA_ACR},
    "sam": {"claims": {"email": "sam@supplier.test", "email_verified": True},
            "amr": ["pwd", "otp"]},
    "unverified": {"claims": {"email": "alice@example.test", "email_verified": False},
                   "amr": ["mfa"]},
    "stranger": {"claims": {"email": "new.auditor@example.test", "email_verified": True,
                            "name": "New Auditor", "groups": ["staff", "dpa-audit"]},
                 "amr": ["mfa"]},
}


def _missing(tool):
    reason = f"{tool} is not installed: the single sign-on tests need Node and npm"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _install_packages():
    if (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm") or _missing("npm")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True,
                   capture_output=True, timeout=600)


def _first_line(process, timeout):
    """Return the process's first line of output: printed once it listens, "" if it died."""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return f"(nothing within {timeout} s)"
    return process.stdout.readline()


@pytest.fixture(scope="session")
def openid_provider(tmp_path_factory):
    """Start the provider; return its issuer URL. It runs until the session ends."""
    node = shutil.which("node") or _missing("node")
    _install_packages()
    config = tmp_path_factory.mktemp("openid_provider") / "config.json"
    config.write_text(json.dumps({
        "clients": [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                     "redirect_uris": [REDIRECT_URI], "grant_types": ["authorization_code"],
                     "response_types": ["code"]}],
        "accounts": ACCOUNTS,
        "idTokenSeconds": 600,
    }))
    errors = config.with_suffix(".stderr")
    with errors.open("w") as stderr:
        process = subprocess.Popen([node, str(PROVIDER_DIR / "provider.mjs"), str(config)],
                                   stdout=subprocess.PIPE, stderr=stderr, text=True)
    first_line = _first_line(process, STARTUP_SECONDS)
    if not first_line.startswith("listening "):
        process.kill()
        pytest.fail(f"the OpenID provider did not start: {first_line!r}\n"
                    f"{errors.read_text()[-2000:]}")
    yield first_line.split()[1]
    process.terminate()
    process.wait(timeout=10)


def oidc_config(issuer, **overrides):
    """Return the REGISTRY_OIDC_* settings for the test provider."""
    return {"OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET, "OIDC_PROVIDER_NAME": "Test ID",
            "OIDC_MFA_ACR_VALUES": [MFA_ACR], **overrides}


@pytest.fixture
def app(database_url, tmp_path, monkeypatch, openid_provider):
    """The app on a fresh database, with single sign-on at the test provider."""
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path / "instance"))
    application = create_app({**base_config(tmp_path, database_url),
                              **oidc_config(openid_provider)})
    with application.app_context():
        database.connect(reuse_if_open=True)
        if database_url.startswith("postgresql"):
            _truncate_all()
        yield application
        if not database.is_closed():
            database.close()


def start_sign_in(client):
    """Press "Sign in with Test ID" on the login page; return the provider URL it leads to."""
    page = client.get("/login")
    assert "Sign in with Test ID" in page.get_data(as_text=True)
    response = client.post("/auth/oidc/login",
                           data={"csrf_token": csrf_token(page.get_data(as_text=True))})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response.headers["Location"]


def sign_in_at_provider(authorization_url, account):
    """Act as the browser at the provider, signing in as `account`; return the callback path
    and query the provider sends the browser back to (over real HTTP, cookies kept)."""
    url = authorization_url
    with httpx.Client(timeout=10) as browser:
        for _hop in range(10):
            response = browser.get(url)
            assert response.status_code in (302, 303), (response.status_code, response.text)
            url = urljoin(url, response.headers["location"])
            if url.startswith(REDIRECT_URI):
                return url.removeprefix("http://registry.test")
            if "/interaction/" in url and "account=" not in url:
                url += f"?account={account}"
    raise AssertionError("the provider never sent the browser back")
