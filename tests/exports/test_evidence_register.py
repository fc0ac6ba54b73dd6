"""The evidence register: every attestation with who accepted it and when, for every reader."""

import pytest

from tests.auth_helpers import login
from tests.exports.helpers import assert_every_field_quoted, csv_rows
from tests.exports.world import evidence_world
from tests.factories import make_user


def test_csv_names_who_accepted_each_document(app, client):
    _subcontractor, accepted, pending, _legal = evidence_world()
    login(client, make_user("auditor"))
    response = client.get("/review/register.csv")
    assert response.status_code == 200
    assert_every_field_quoted(response.data)
    header, *rows = csv_rows(response.data)
    records = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    done = records[str(accepted.id)]
    assert done["Review"] == "accepted" and done["Reviewed by"] == "reviewer@processor.example"
    assert done["Reviewed at (UTC)"] == accepted.reviewed_at.isoformat(timespec="seconds") + "Z"
    assert done["Reference"] == "007" and done["Subcontractor"] == "Semi;colon Oy"
    assert done["SHA-256"] == f"sha256:{accepted.document.sha256}"
    waiting = records[str(pending.id)]
    assert (waiting["Review"], waiting["Reviewed by"]) == ("pending", "")
    assert waiting["Reference"] == "1/2"


def test_json_has_the_same_records(app, client):
    _subcontractor, accepted, _pending, _legal = evidence_world()
    login(client, make_user("legal"))
    document = client.get("/review/register.json").json
    assert document["format"] == "dpa-registry-evidence/1"
    [record] = [row for row in document["attestations"] if row["attestation_id"] == accepted.id]
    assert record["reviewed_by"] == "reviewer@processor.example"
    assert record["issued_on"] == accepted.issued_on.isoformat()


def test_the_queue_links_the_register(app, client):
    login(client, make_user("auditor"))
    page = client.get("/review").get_data(as_text=True)
    assert 'href="/review/register.csv"' in page and 'href="/review/register.json"' in page


@pytest.mark.parametrize("url", ["/review/register.csv", "/review/register.json"])
def test_subcontractor_users_never_see_the_register(app, client, url):
    evidence_world()
    login(client, make_user("subcontractor"))
    assert client.get(url).status_code == 403
