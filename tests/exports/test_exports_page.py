"""The Exports page lists what the signed-in reader may download, and nothing more."""

from tests.auth_helpers import login
from tests.factories import make_user

LINKS = ('href="/audit/export.csv"', 'href="/review/register.csv"',
         'href="/controllers/export.csv"', 'href="/subcontractors/export.csv"', 'href="/export"')


def test_auditors_find_every_export(app, client):
    login(client, make_user("auditor"))
    page = client.get("/exports").get_data(as_text=True)
    assert all(link in page for link in LINKS)


def test_legal_staff_see_no_audit_trail_export(app, client):
    login(client, make_user("legal"))
    page = client.get("/exports").get_data(as_text=True)
    assert 'href="/audit/export.csv"' not in page and 'href="/review/register.csv"' in page


def test_subcontractor_users_are_refused(app, client):
    login(client, make_user("subcontractor"))
    assert client.get("/exports").status_code == 403


def test_the_audit_trail_links_the_exports_page_for_every_reader(app, client):
    login(client, make_user("legal"))
    page = client.get("/audit").get_data(as_text=True)
    assert 'href="/exports"' in page and "/audit/export.csv" not in page
