"""Reading every resource, paging, filtering, subcontractor isolation, the attestation PDF and
the findings - each response checked against the OpenAPI document by the `api` client."""

import json

import pytest
from openapi_spec_validator import validate

from registry.models import AuditEvent
from tests.api.seed import seed_registry
from tests.factories import make_user
from tests.registry_factories import make_controller

READABLE = ("controllers", "dpas", "instructions", "subcontractors", "engagements",
            "attestations", "incidents", "subject-requests", "assistance-requests")


def test_the_openapi_document_is_valid_openapi_3_1(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    document = response.get_json()
    validate(document)
    assert document["openapi"] == "3.1.0"
    assert {"/controllers", "/findings", "/attestations/{attestation_id}/document",
            "/subject-requests", "/assistance-requests", "/incidents"} <= set(document["paths"])


@pytest.mark.parametrize("path", READABLE)
def test_every_resource_lists_and_reads_for_staff(app, api, issue_token, path):
    seed_registry()
    token, _user = issue_token("auditor")
    listed = api.get(f"/api/v1/{path}", token=token)
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    assert items, path
    one = api.get(f"/api/v1/{path}/{items[0]['id']}", token=token)
    assert one.status_code == 200 and one.get_json() == items[0]
    assert one.headers["ETag"]
    assert api.get(f"/api/v1/{path}/999999", token=token).status_code == 404


def test_pages_follow_the_cursor_to_the_end(app, api, issue_token):
    made = [make_controller().id for _ in range(5)]
    token, _user = issue_token("legal")
    seen, url = [], "/api/v1/controllers?limit=2"
    while url:
        page = api.get(url, token=token)
        body = page.get_json()
        seen += [item["id"] for item in body["items"]]
        assert len(body["items"]) <= 2
        url = (f"/api/v1/controllers?limit=2&cursor={body['next_cursor']}"
               if body["next_cursor"] else None)
        assert ("Link" in page.headers) == bool(url)
    assert seen == made


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "cursor=bm90LWpzb24", "status=gone",
                                   "unknown=1"])
def test_bad_parameters_are_problems(app, api, issue_token, query):
    token, _user = issue_token("legal")
    response = api.get(f"/api/v1/controllers?{query}", token=token)
    assert response.status_code in (400, 422)
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["status"] == response.status_code


def test_filters_narrow_the_list(app, api, issue_token):
    rows = seed_registry()
    token, _user = issue_token("legal")
    pending = api.get("/api/v1/attestations?review=pending", token=token).get_json()["items"]
    assert pending and {item["review"] for item in pending} == {"pending"}
    own = api.get(f"/api/v1/engagements?subcontractor_id={rows['other'].id}",
                  token=token).get_json()["items"]
    assert own == []


def test_a_subcontractor_token_sees_only_its_own_company(app, api, issue_token):
    rows = seed_registry()
    token, _user = issue_token("subcontractor", subcontractor=rows["engaged"])
    companies = api.get("/api/v1/subcontractors", token=token).get_json()["items"]
    assert [company["id"] for company in companies] == [rows["engaged"].id]
    attestations = api.get("/api/v1/attestations", token=token).get_json()["items"]
    assert attestations and {a["subcontractor_id"] for a in attestations} == {rows["engaged"].id}
    incidents = api.get("/api/v1/incidents", token=token).get_json()["items"]
    assert [incident["reference"] for incident in incidents] == ["INC-1"]
    assert api.get(f"/api/v1/subcontractors/{rows['other'].id}", token=token).status_code == 404
    foreign = api.get(f"/api/v1/attestations?subcontractor_id={rows['other'].id}", token=token)
    assert foreign.status_code == 403
    for path in ("controllers", "dpas", "engagements", "findings", "subject-requests"):
        assert api.get(f"/api/v1/{path}", token=token).status_code == 403, path


def test_the_attestation_pdf_downloads_for_its_readers(app, api, issue_token):
    rows = seed_registry()
    token, _user = issue_token("legal")
    items = api.get(f"/api/v1/attestations?subcontractor_id={rows['engaged'].id}",
                    token=token).get_json()["items"]
    with_pdf = next(item for item in items if item["document_id"])
    response = api.get(f"/api/v1/attestations/{with_pdf['id']}/document", token=token)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert AuditEvent.select().where(AuditEvent.action == "document.downloaded").count() == 1
    without = api.get(f"/api/v1/attestations?subcontractor_id={rows['other'].id}",
                      token=token).get_json()["items"][0]
    assert api.get(f"/api/v1/attestations/{without['id']}/document",
                   token=token).status_code == 404
    outsider, _ = issue_token("subcontractor", subcontractor=rows["other"])
    assert api.get(f"/api/v1/attestations/{with_pdf['id']}/document",
                   token=outsider).status_code == 404


def test_findings_equal_the_check_command(app, api, issue_token, runner):
    rows = seed_registry()
    make_controller()  # without a DPA: a red finding
    token, _user = issue_token("auditor")
    checked = json.loads(runner.invoke(args=["check", "--format", "json"]).stdout)
    listed = api.get("/api/v1/findings?limit=200", token=token).get_json()
    assert listed["items"] == checked["findings"] and listed["counts"] == checked["counts"]
    assert listed["today"] == checked["today"]
    by_controller = json.loads(runner.invoke(args=[
        "check", "--format", "json", "--controller", str(rows["controller"].id)]).stdout)
    narrowed = api.get(f"/api/v1/findings?controller_id={rows['controller'].id}&limit=200",
                       token=token).get_json()
    assert narrowed["items"] == by_controller["findings"]
    red = api.get("/api/v1/findings?severity=red&area=dpas", token=token).get_json()["items"]
    assert red and all(f["severity"] == "red" and f["area"] == "dpas" for f in red)
    assert red == [f for f in checked["findings"]
                   if f["severity"] == "red" and f["area"] == "dpas"][:50]


def test_errors_are_problem_documents(app, api, issue_token):
    token, _user = issue_token("legal")
    for method, url, status in (("GET", "/api/v1/nowhere", 404),
                                ("DELETE", "/api/v1/controllers", 405),
                                ("GET", "/api/v1/controllers/1", 404)):
        response = api.open(method, url, token=token)
        assert response.status_code == status
        problem = response.get_json()
        assert response.mimetype == "application/problem+json"
        assert problem["status"] == status and problem["title"] and problem["detail"]
    assert "GET" in api.open("DELETE", "/api/v1/controllers", token=token).headers["Allow"]


def test_the_reference_page_renders_without_scripts(app, client):
    make_user("legal")
    page = client.get("/api-reference")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script" not in html.split("</header>")[-1]
    assert "GET /findings" in html and "/api/v1" in html


def test_a_current_etag_gets_304_not_the_body_again(app, api, issue_token):
    controller = make_controller()
    token, _user = issue_token("legal")
    url = f"/api/v1/controllers/{controller.id}"
    etag = api.get(url, token=token).headers["ETag"]
    again = api.get(url, token=token, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    listed = api.get("/api/v1/controllers", token=token)
    assert api.get("/api/v1/controllers", token=token, headers={
        "If-None-Match": listed.headers["ETag"]}).status_code == 304
    make_controller()
    assert api.get("/api/v1/controllers", token=token, headers={
        "If-None-Match": listed.headers["ETag"]}).status_code == 200
