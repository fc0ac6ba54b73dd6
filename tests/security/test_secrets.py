"""No password, TOTP secret, recovery code, link token or cookie in the database or the logs."""

import logging
import re

from registry.extensions import database
from registry.models import MODELS
from tests.auth_helpers import post_form
from tests.factories import totp_secret

PASSWORD = "violet-anchor-meadow-42"
NEW_PASSWORD = "amber-tundra-compass-77"


def _dump():
    """Every value of every row of every table, as text (what a stolen backup shows)."""
    lines = []
    for model in MODELS:
        cursor = database.execute_sql(f'SELECT * FROM "{model._meta.table_name}"')
        lines.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(lines)


def test_no_secret_in_the_database_dump_or_the_logs(app, runner, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    result = runner.invoke(args=["users", "create", "--email", "ann@example.test", "--role",
                                 "admin"])
    token = re.search(r"/invitation/(\S+)", result.output).group(1)
    client = make_client()
    post_form(client, f"/invitation/{token}", {"password": PASSWORD, "confirm": PASSWORD})
    from registry.models import User

    enrolment = client.get("/mfa/enroll").get_data(as_text=True)
    shown = re.search(r'id="totp-secret"><code>([A-Z2-7 ]+)</code>', enrolment).group(1)
    secret = shown.replace(" ", "")
    from registry.auth import totp

    page = post_form(client, "/mfa/enroll",
                     {"code": totp.code_at_step(secret, totp.current_step())})
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page.get_data(as_text=True))
    assert len(codes) == 10
    assert totp_secret(User.get(User.email == "ann@example.test")) == secret
    post_form(client, "/account/password", {"current_password": PASSWORD,
                                            "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
              page_url="/account")
    cookie = client.get_cookie("dpa_session").value
    secrets = [PASSWORD, NEW_PASSWORD, secret, token, cookie]
    secrets += codes + [code.replace("-", "") for code in codes]
    dump = _dump()
    logs = caplog.text + result.output.replace(token, "")
    for value in secrets:
        assert value not in dump, f"{value[:4]}... is in the database"
        assert value not in logs, f"{value[:4]}... is in the logs"
    assert secret.lower() not in dump.lower()
