"""A checked import waits in the database: any web host can take its confirmation."""

from pathlib import Path

from registry import create_app
from registry.extensions import database
from registry.models import AuditEvent, Controller, PendingImport
from tests.auth_helpers import login
from tests.conftest import base_config
from tests.factories import make_user
from tests.interchange.samples import GOOD_ROWS, workbook_bytes
from tests.interchange.test_views import confirm, upload

COOKIE = "dpa_session"


def _files_under(folder):
    return [path for path in Path(folder).rglob("*") if path.is_file()] if Path(
        folder).exists() else []


def test_a_file_checked_on_one_host_is_imported_on_another(app, client, database_url, tmp_path,
                                                           monkeypatch):
    login(client, make_user("legal"))
    page = upload(client, workbook_bytes(GOOD_ROWS))
    assert "Import these changes" in page.get_data(as_text=True)
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(tmp_path / "host-b"))
    host_b = create_app(base_config(tmp_path / "host-b", database_url))
    other_host = host_b.test_client()
    other_host.set_cookie(COOKIE, client.get_cookie(COOKIE).value)

    with host_b.app_context():
        done = confirm(other_host, page)
        database.connect(reuse_if_open=True)

    assert done.status_code == 302
    assert Controller.get().key == "c-aurora"
    assert AuditEvent.select().where(AuditEvent.action == "registry.import").count() == 1
    assert PendingImport.select().count() == 0
    assert _files_under(app.instance_path) == [] and _files_under(host_b.instance_path) == []


def test_the_checked_bytes_wait_in_the_database_bound_to_the_session(app, client):
    login(client, make_user("legal"))
    content = workbook_bytes(GOOD_ROWS)

    upload(client, content, "march.xlsx")
    upload(client, content, "april.xlsx")  # a second check replaces the first

    kept = PendingImport.get()
    assert (kept.filename, bytes(kept.content)) == ("april.xlsx", content)
    assert kept.session.user.role == "legal"


def test_a_second_confirmation_finds_nothing_to_import(app, client):
    login(client, make_user("legal"))
    page = upload(client, workbook_bytes(GOOD_ROWS))

    first, second = confirm(client, page), confirm(client, page)

    assert first.status_code == second.status_code == 302
    followed = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "There is no checked file waiting to be imported. Upload it again." in followed
    assert AuditEvent.select().where(AuditEvent.action == "registry.import").count() == 1


def test_signing_out_leaves_no_way_to_confirm_and_the_purge_removes_the_file(app, client,
                                                                             runner):
    user = make_user("legal")
    login(client, user)
    page = upload(client, workbook_bytes(GOOD_ROWS))
    client.post("/logout", data={"csrf_token": page.get_data(as_text=True).split(
        'name="csrf_token" type="hidden" value="')[1].split('"')[0]})

    login(client, user)
    assert confirm(client, client.get("/import")).status_code == 302
    assert Controller.select().count() == 0

    runner.invoke(args=["sessions", "purge"])
    assert PendingImport.select().count() == 0
