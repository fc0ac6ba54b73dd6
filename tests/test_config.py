"""Configuration: defaults, REGISTRY_* parsing, one-line errors, secrets and proxies."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask import request

from registry import create_app
from registry.auth.access import public
from registry.config import ConfigError, from_environment
from tests.conftest import needs_real_timed_waits

CLI = [sys.executable, "-c", "from registry.cli import main; main()"]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("REGISTRY_ALERT_DAYS", "abc", "comma-separated whole numbers"),
    ("REGISTRY_ALERT_DAYS", "30,-1", "none negative"),
    ("REGISTRY_DATABASE_URL", "mysql://localhost/x", "must start with sqlite:/// or postgresql"),
    ("REGISTRY_MAX_UPLOAD_MB", "0", "greater than zero"),
    ("REGISTRY_TIMEZONE", "Mars/Olympus", "not a known time zone"),
    ("REGISTRY_ALERT_HOUR", "24", "hour from 0 to 23"),
    ("REGISTRY_SMTP_URL", "http://mail", "smtp://"),
    ("REGISTRY_SECURE_COOKIES", "maybe", "true or false"),
    ("REGISTRY_PROXY_HOPS", "-1", "zero or more"),
])
def test_a_malformed_value_names_the_variable(name, value, message):
    with pytest.raises(ConfigError) as error:
        from_environment({name: value})
    assert name in str(error.value) and message in str(error.value)


def test_values_are_parsed_into_their_types():
    parsed = from_environment({"REGISTRY_ALERT_DAYS": "7, 60,30", "REGISTRY_MAX_UPLOAD_MB": "5",
                               "REGISTRY_TRUSTED_HOSTS": "a.example, b.example",
                               "REGISTRY_BASE_URL": "https://registry.example/"})
    assert parsed["ALERT_DAYS"] == (60, 30, 7)
    assert parsed["MAX_UPLOAD_MB"] == 5
    assert parsed["TRUSTED_HOSTS"] == ["a.example", "b.example"]
    assert parsed["BASE_URL"] == "https://registry.example"
    assert from_environment({"REGISTRY_REPORT_WEB_MAX_ROWS": "50"}) == {"REPORT_WEB_MAX_ROWS": 50}


def _run_cli(tmp_path, *args, **environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith("REGISTRY_")}
    env.update(REGISTRY_INSTANCE_PATH=str(tmp_path), **environment)
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env,
                          cwd=Path(__file__).parent.parent, timeout=60)


@pytest.mark.parametrize(("environment", "expected"), [
    ({"REGISTRY_ALERT_DAYS": "abc"}, "error: REGISTRY_ALERT_DAYS must be"),
    # The app starts (and Flask-Limiter's timer thread with it) before the database fails.
    pytest.param({"REGISTRY_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
                 "error: cannot use the database", marks=needs_real_timed_waits),
    ({"REGISTRY_ENV": "production"}, "error: REGISTRY_SECRET_KEY must be set"),
])
def test_the_command_line_stops_with_one_line_and_no_traceback(tmp_path, environment, expected):
    result = _run_cli(tmp_path, "db", "status", **environment)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(expected), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_development_generates_its_secrets_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    first = create_app({"DATABASE_URL": url})
    second = create_app({"DATABASE_URL": url})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first.config["DEBUG"] is False


def test_proxy_hops_take_the_client_address_from_the_proxy(tmp_path, monkeypatch):
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    for hops, expected in ((0, "127.0.0.1"), (1, "203.0.113.9")):
        app = create_app({"DATABASE_URL": url, "PROXY_HOPS": hops})
        app.add_url_rule("/whoami", "whoami", public(lambda: request.remote_addr))
        response = app.test_client().get(
            "/whoami", headers={"X-Forwarded-For": "203.0.113.9"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )
        assert response.get_data(as_text=True) == expected
