"""The registry's one clock: what reaches output is dated by the app's clock, never the machine's.

Each test stops the app clock on a day far from the machine's (`clock` fixture, 2026-11-25) or
moves it somewhere else, and checks that pages, mails, reports and the TOTP step follow it.
"""

import email
import email.policy
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

from registry import clock as registry_clock
from registry.auth import totp
from registry.mail.compose import compose
from registry.mail.transport import OutboxConnection
from registry.models import Controller, PendingImport, utcnow
from tests.auth_helpers import login
from tests.factories import make_user
from tests.interchange.samples import GOOD_ROWS, workbook_bytes
from tests.interchange.test_views import confirm, upload


def test_now_and_today_come_from_the_app_clock(app, clock):
    clock.move_to(datetime(2031, 3, 30, 21, 30, tzinfo=UTC))  # 00:30 on the 31st in Helsinki
    assert registry_clock.utc_now() == datetime(2031, 3, 30, 21, 30, tzinfo=UTC)
    assert registry_clock.local_today().isoformat() == "2031-03-31"
    assert registry_clock.local_now().utcoffset() == timedelta(hours=3)  # EEST since the 30th
    assert utcnow() == datetime(2031, 3, 30, 21, 30)  # the naive UTC form of *_at columns
    assert totp.current_step() == int(clock().timestamp()) // totp.STEP_SECONDS


def test_a_request_sees_one_now_from_start_to_end(app, clock):
    seen = []
    with app.test_request_context("/"):
        seen.append(registry_clock.utc_now())
        clock.advance(timedelta(hours=5))
        seen.append(registry_clock.utc_now())
    assert seen[0] == seen[1] == datetime(2026, 11, 25, 10, 30, tzinfo=UTC)
    assert registry_clock.utc_now() == datetime(2026, 11, 25, 15, 30, tzinfo=UTC)


def test_a_mail_is_dated_and_filed_by_the_app_clock(app, clock, tmp_path):
    clock.move_to(datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC))
    message = compose(["someone@example.test"], "Test", "mail/test_message")
    assert parsedate_to_datetime(message["Date"]) == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)

    OutboxConnection(tmp_path).send(message)
    OutboxConnection(tmp_path).send(message)
    names = sorted(path.name for path in Path(tmp_path).glob("*.eml"))
    assert [name[:15] for name in names] == ["20300102T030405"] * 2
    stored = email.message_from_bytes((tmp_path / names[0]).read_bytes(),
                                      policy=email.policy.default)
    assert stored["Subject"] == "[dpa-registry] Test"


def test_a_checked_import_expires_an_hour_after_the_check_by_the_app_clock(app, client, clock):
    app.config["SESSION_IDLE_MINUTES"] = 240
    login(client, make_user("legal"))
    page = upload(client, workbook_bytes(GOOD_ROWS))
    assert "Import these changes" in page.get_data(as_text=True)

    clock.advance(timedelta(minutes=61))
    confirm(client, page)

    assert Controller.select().count() == 0
    assert PendingImport.select().count() == 0  # an expired check is deleted
