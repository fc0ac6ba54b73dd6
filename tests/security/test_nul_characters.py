"""A NUL character in a form field or the query string is refused with a clear 400 page.

PostgreSQL cannot store NUL in text, so before this every form answered a 500 on PostgreSQL
when one was pasted in (and SQLite stored it). The API refuses it itself (422).
"""

from registry.models import Controller
from tests.controllers.helpers import signed_in, submit

VALID = {"name": "Uusi Asiakas Oy", "country": "FI", "business_id": "1572860-0",
         "privacy_contacts": "tietosuoja@uusi.example", "services": "online store",
         "ordered_via": "", "status": "active", "ended_on": "", "notes": ""}
REFUSED = "invisible NUL character"


def test_a_nul_in_a_form_field_is_refused_and_nothing_is_saved(app, client):
    signed_in(client)
    response = submit(client, "/controllers/new", dict(VALID, notes="pasted\x00text"),
                      page_url="/controllers/new")
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)
    assert Controller.select().count() == 0
    response = submit(client, "/controllers/new", VALID)
    assert response.status_code == 302, "the same form without the NUL is saved"
    assert Controller.select().count() == 1


def test_a_nul_in_the_query_string_is_refused(app, client):
    signed_in(client)
    response = client.get("/controllers?q=abc%00def")
    assert response.status_code == 400
    assert REFUSED in response.get_data(as_text=True)
    assert client.get("/controllers?q=abc").status_code == 200


def test_the_api_keeps_answering_with_its_own_problem_documents(app, client):
    response = client.get("/api/v1/controllers?cursor=%00")
    assert response.status_code == 401
    assert response.headers["Content-Type"].startswith("application/problem+json")
