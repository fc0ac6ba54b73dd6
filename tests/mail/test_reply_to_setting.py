"""The Reply-To setting takes one deliverable address; `make run` and `serve` first steps."""

import re
from pathlib import Path

from registry.cli import serve_command
from registry.settings.store import load_settings
from tests.auth_helpers import login, post_form
from tests.factories import make_user

MAKEFILE = Path(__file__).resolve().parents[2] / "Makefile"


def test_the_reply_to_setting_refuses_what_is_not_an_address(app, client):
    login(client, make_user("admin"))
    refused = post_form(client, "/admin/settings", {"reply_to": "privacy at example"})
    assert refused.status_code == 400
    assert "is not an e-mail address" in refused.get_data(as_text=True)
    assert load_settings()["reply_to"] == ""
    saved = post_form(client, "/admin/settings", {"reply_to": "privacy@processor.example"})
    assert saved.status_code == 302 and load_settings()["reply_to"] == "privacy@processor.example"


def test_make_run_serves_without_a_separate_alerts_step_on_the_chosen_port():
    run = re.search(r"^run:.*?(?=^\S|\Z)", MAKEFILE.read_text(), re.S | re.M).group(0)
    assert "alerts send" not in run  # its "deferred ..." lines read like errors
    assert "serve --port $(PORT)" in run
    port = next(option for option in serve_command.params if option.name == "port")
    assert port.envvar == "PORT"
    assert any(option.name == "no_scheduler" for option in serve_command.params)
