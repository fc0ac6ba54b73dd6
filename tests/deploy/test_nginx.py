"""The several-hosts recipe of docs/deploy.md, run on loopback.

Debian's nginx, configured from deploy/nginx/dpa-registry.conf (only its addresses, ports and
certificate swapped), terminates TLS in front of two `dpa-registry serve` processes, each with
its own instance folder (two hosts), on one fresh PostgreSQL database and on Redis for rate
limits and the queue. nginx logs which process served each request, so the tests can tell that
a step happened on the other process than the one before.
"""

import getpass
import os
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest

from registry import create_app
from registry.extensions import database
from registry.models import Controller
from tests.auth_helpers import csrf_token
from tests.conftest import POSTGRES_URL, base_config
from tests.core.test_health import redis_answers
from tests.deploy.certificate import write_self_signed
from tests.factories import PASSWORD, make_user, totp_code_for
from tests.interchange.samples import GOOD_ROWS, workbook_bytes
from tests.serving import wait_until_serving
from tests.tcpproxy import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REPOSITORY = Path(__file__).resolve().parents[2]
SITE = REPOSITORY / "deploy" / "nginx" / "dpa-registry.conf"
DPA_REGISTRY = str(Path(sys.executable).parent / "dpa-registry")
HOST = "registry.example.com"
# Redis databases of this test only: emptied before and after.
RATELIMIT_REDIS, QUEUE_REDIS = 13, 14

pytestmark = [
    pytest.mark.deploy,
    pytest.mark.skipif(not os.access(NGINX, os.X_OK),
                       reason="nginx is not installed (Debian: apt-get install nginx-light)"),
    pytest.mark.skipif(not POSTGRES_URL, reason="needs PostgreSQL: REGISTRY_TEST_POSTGRES_URL"),
    pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379"),
]


def site_config(upstream_ports, http_port, https_port, certificate, key):
    """Return deploy/'s nginx site with loopback addresses, these ports and this certificate."""
    text = SITE.read_text()
    substitutions = [
        (r"server 127\.0\.0\.1:8000 ", f"server 127.0.0.1:{upstream_ports[0]} "),
        (r"server 127\.0\.0\.1:8001 ", f"server 127.0.0.1:{upstream_ports[1]} "),
        (r"listen 80;", f"listen 127.0.0.1:{http_port};"),
        (r"listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        (r"\n\s*listen \[::\]:80;", ""),
        (r"\n\s*listen \[::\]:443 ssl http2;", ""),
        (r"ssl_certificate \S+;", f"ssl_certificate {certificate};"),
        (r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};"),
    ]
    for pattern, replacement in substitutions:
        text, count = re.subn(pattern, replacement, text)
        assert count == 1, f"deploy/nginx/dpa-registry.conf no longer has {pattern!r} once"
    return text


def nginx_config(folder, site):
    """Return a whole nginx.conf around `site` that keeps every file inside `folder`."""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temporary = "\n".join(f"    {name}_temp_path {folder / name};"
                          for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""{user}worker_processes 1;
error_log {folder / 'error.log'} info;
events {{ worker_connections 256; }}
http {{
    log_format steps '$http_x_test_step $upstream_addr $status';
    access_log {folder / 'access.log'} steps;
{temporary}
{site}
}}
"""


class Stack:
    """nginx, two app processes and a way to reach them like a browser would."""

    def __init__(self, folder, app, https_port, processes, certificate):
        self.folder, self.app, self.https_port = folder, app, https_port
        self.processes, self.certificate = processes, certificate

    def client(self, local_address="127.0.0.1"):
        """Return an HTTPS client of nginx bound to `local_address` (the client's address).

        It sends a Referer like a browser: over https the app's CSRF check requires one of
        its own origin.
        """
        transport = httpx.HTTPTransport(verify=ssl.create_default_context(
                                            cafile=str(self.certificate)),
                                        local_address=local_address)
        return httpx.Client(base_url=f"https://127.0.0.1:{self.https_port}",
                            headers={"Host": HOST, "Referer": f"https://{HOST}/"},
                            transport=transport, timeout=30)

    def served_by(self, step, seconds=10):
        """Return the app address(es) nginx sent the last request of `step` to.

        nginx writes its log line just after the answer, so the line is waited for.
        """
        deadline = time.monotonic() + seconds
        while True:
            lines = (self.folder / "access.log").read_text().splitlines()
            matching = [line.split(" ", 1)[1].rsplit(" ", 1)[0]
                        for line in lines if line.startswith(f"{step} ")]
            if matching:
                return matching[-1]
            assert time.monotonic() < deadline, f"no request of step {step!r} in nginx's log"
            time.sleep(0.05)

    def make_user(self, role):
        """Create an enrolled user in the shared database."""
        with self.app.app_context(), database.connection_context():
            return make_user(role)

    def controller_keys(self):
        """Return the keys of the controllers in the shared database."""
        with self.app.app_context(), database.connection_context():
            return [controller.key for controller in Controller.select()]

    def totp_code(self, user):
        """Return the user's current TOTP code."""
        with self.app.app_context(), database.connection_context():
            return totp_code_for(user)


def step(name):
    """Return the header that names a request in nginx's log."""
    return {"X-Test-Step": name}


def example_environment():
    """Return the variables of deploy/registry.env.example."""
    lines = (REPOSITORY / "deploy" / "registry.env.example").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def _server_environment(database_url):
    """Return deploy/registry.env.example with this test's secrets, database and Redis."""
    config = base_config(Path("."), database_url)
    settings = example_environment()
    local = {
        "REGISTRY_SECRET_KEY": config["SECRET_KEY"],
        "REGISTRY_TOTP_KEY": config["TOTP_KEY"],
        "REGISTRY_AUDIT_KEY": config["AUDIT_KEY"],
        "REGISTRY_BASE_URL": f"https://{HOST}",
        "REGISTRY_TRUSTED_HOSTS": HOST,
        "REGISTRY_DATABASE_URL": database_url,
        "REGISTRY_RATELIMIT_STORAGE_URL": f"redis://127.0.0.1:6379/{RATELIMIT_REDIS}",
        "REGISTRY_QUEUE_URL": f"redis://127.0.0.1:6379/{QUEUE_REDIS}",
    }
    assert set(local) <= set(settings), "the example lacks a setting"
    settings.update(local)
    del settings["REGISTRY_SMTP_URL"]  # mail goes to the instance folder's outbox here
    assert settings["REGISTRY_PROXY_HOPS"] == "1"
    return {**os.environ, "PYTHONPATH": str(REPOSITORY), **settings}


def _empty_redis_databases():
    import redis

    for number in (RATELIMIT_REDIS, QUEUE_REDIS):
        redis.Redis(host="127.0.0.1", port=6379, db=number).flushdb()


def _start_app_processes(folder, environment):
    processes = {}
    for host in ("host-a", "host-b"):
        port = free_port()
        env = {**environment, "REGISTRY_INSTANCE_PATH": str(folder / host / "instance")}
        log = (folder / f"{host}.log").open("wb")
        processes[f"127.0.0.1:{port}"] = subprocess.Popen(
            [DPA_REGISTRY, "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    for address, process in processes.items():
        wait_until_serving(f"http://{address}", process)
    return processes


def _start_nginx(folder, upstream_ports, certificate, key):
    http_port, https_port = free_port(), free_port()
    site = site_config(upstream_ports, http_port, https_port, certificate, key)
    (folder / "nginx.conf").write_text(nginx_config(folder, site))
    process = subprocess.Popen(
        [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e",
         str(folder / "error.log"), "-g", f"daemon off; pid {folder / 'nginx.pid'};"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, https_port


def _wait_for_nginx(stack, process, seconds=30):
    deadline = time.monotonic() + seconds
    with stack.client() as client:
        while time.monotonic() < deadline:
            assert process.poll() is None, (stack.folder / "error.log").read_text()[-2000:]
            try:
                if client.get("/healthz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
    raise AssertionError(f"nginx did not answer within {seconds} s")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """Start the whole several-hosts setup on loopback; stop it and drop its database after."""
    folder = tmp_path_factory.mktemp("deploy")
    name = f"registry_deploy_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = urlsplit(POSTGRES_URL)._replace(path=f"/{name}").geturl()
    environment = _server_environment(database_url)
    processes, nginx = {}, None
    try:
        _empty_redis_databases()
        subprocess.run([DPA_REGISTRY, "db", "upgrade"], env=environment, check=True,
                       capture_output=True, timeout=300)  # migrations on deploy
        processes = _start_app_processes(folder, environment)
        certificate, key = write_self_signed(folder, HOST)
        ports = [int(address.rsplit(":", 1)[1]) for address in processes]
        nginx, https_port = _start_nginx(folder, ports, certificate, key)
        app = create_app(base_config(folder, database_url))
        built = Stack(folder, app, https_port, processes, certificate)
        _wait_for_nginx(built, nginx)
        yield built
    finally:
        for process in [*processes.values(), *([nginx] if nginx else [])]:
            process.terminate()
            process.wait(30)
        _empty_redis_databases()
        if database.obj is not None and not database.is_closed():
            database.close()
        with psycopg.connect(POSTGRES_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sign_in(stack, client, user):
    """Sign `user` in through nginx: the password step, then the TOTP step."""
    token = csrf_token(client.get("/login", headers=step("login-page")).text)
    password = client.post("/login", headers=step("password"), data={
        "csrf_token": token, "email": user.email, "password": PASSWORD})
    assert password.status_code == 302 and password.headers["Location"].endswith("/login/totp")
    token = csrf_token(client.get("/login/totp", headers=step("totp-page")).text)
    code = client.post("/login/totp", headers=step("totp"), data={
        "csrf_token": token, "code": stack.totp_code(user)})
    assert code.status_code == 302, code.text[:500]


def test_plain_http_is_sent_to_https(stack):
    site = stack.folder / "nginx.conf"
    http_port = re.search(r"listen 127\.0\.0\.1:(\d+);", site.read_text()).group(1)

    response = httpx.get(f"http://127.0.0.1:{http_port}/dashboard", headers={"Host": HOST})

    assert response.status_code == 301
    assert response.headers["Location"] == f"https://{HOST}/dashboard"


def test_signing_in_on_one_process_continues_on_the_other(stack):
    user = stack.make_user("legal")
    with stack.client() as client:
        sign_in(stack, client, user)
        account = client.get("/account", headers=step("account"))

    assert account.status_code == 200
    assert user.email in account.text
    assert stack.served_by("password") != stack.served_by("totp-page")
    assert stack.served_by("totp") != stack.served_by("account")
    assert client.cookies.get("__Host-dpa_session")  # Secure: nginx told the app it was https


def test_an_import_checked_on_one_process_is_confirmed_on_the_other(stack):
    with stack.client() as client:
        sign_in(stack, client, stack.make_user("legal"))
        token = csrf_token(client.get("/import").text)
        checked = client.post("/import", headers=step("check"), data={"csrf_token": token},
                              files={"file": ("registry.xlsx", workbook_bytes(GOOD_ROWS))})
        assert "Import these changes" in checked.text, checked.text[:2000]
        confirmed = client.post("/import/confirm", headers=step("confirm"),
                                data={"csrf_token": csrf_token(checked.text)})
        landing = client.get("/import")  # the next page shows the outcome

    assert confirmed.status_code == 302
    assert stack.served_by("check") != stack.served_by("confirm")
    assert "Imported registry.xlsx: 2 records created, 0 updated." in landing.text
    assert stack.controller_keys() == ["c-aurora"]


def _wrong_password(client, token, number, **headers):
    """Post a wrong password with the sign-in form's `token`, as a user retyping it would."""
    return client.post("/login", headers={**step(f"limit-{number}"), **headers}, data={
        "csrf_token": token, "email": "nobody@example.com", "password": "wrong password"})


def test_the_sign_in_limit_counts_each_real_client_address_across_processes(stack):
    with stack.client("127.0.0.2") as first, stack.client("127.0.0.3") as second:
        token = csrf_token(first.get("/login").text)
        statuses = [_wrong_password(first, token, number).status_code for number in range(10)]
        forged = _wrong_password(first, token, 10, **{"X-Forwarded-For": "198.51.100.7"})
        other_client = _wrong_password(second, csrf_token(second.get("/login").text), 11)

    assert statuses == [200] * 10
    # Both processes counted: the limit lives in Redis, not in either process.
    assert len({stack.served_by(f"limit-{number}") for number in range(10)}) == 2
    assert forged.status_code == 429  # a forged address does not escape: nginx adds the real one
    assert other_client.status_code == 200


def test_when_one_process_is_killed_mid_traffic_the_other_carries_on(stack):
    user = stack.make_user("legal")
    victim, survivor = list(stack.processes)

    def page(number):
        return client.get("/account", headers=step(f"traffic-{number}")).status_code

    with stack.client() as client:
        sign_in(stack, client, user)
        with ThreadPoolExecutor(max_workers=4) as pool:
            before = list(pool.map(page, range(20)))
            running = [pool.submit(page, number) for number in range(20, 60)]
            stack.processes[victim].send_signal(signal.SIGKILL)
            during = [future.result() for future in running]
        after = [page(number) for number in range(60, 70)]
        signed_out = client.post("/logout", data={"csrf_token": csrf_token(
            client.get("/account").text)})

    assert before == [200] * 20 and during == [200] * 40 and after == [200] * 10
    # nginx tries the dead process again now and then (every fail_timeout); the survivor answers.
    answered_by = {stack.served_by(f"traffic-{number}").split(", ")[-1]
                   for number in range(60, 70)}
    assert answered_by == {survivor}
    assert signed_out.status_code == 302  # a POST too: the dead process is skipped
