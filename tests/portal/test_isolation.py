"""Tenant isolation: a user of company A can reach nothing of company B, nor anything else.

Every case runs against real rows of B and checks that the answer is 403 or 404 and that no
row changed, whichever way B is named: in the path, by walking ids, in a forged form field, or
in (repeated) query parameters.
"""

import io

import pytest
from werkzeug.routing import IntegerConverter

from registry.auth.access import PUBLIC, allows, declaration
from registry.models import Attestation
from tests.auth_helpers import csrf_token
from tests.documents import pdfs
from tests.portal.snapshot import fingerprint

REFUSED = {403, 404}
# Endpoints outside the portal that every signed-in person needs for their own account: signing
# in, their calendar feed link and their API tokens (what the feed and the tokens then show is
# confined to the user's company: tests/calendar and tests/api prove it).
OWN_ACCOUNT_AREAS = ("auth.", "calendar.", "api_pages.")
OWN_ACCOUNT_ENDPOINTS = {"core.home", "core.signed_in_home", "static"}


def token(client):
    """Return a valid CSRF token of A's session, so that only the access rules can refuse."""
    return csrf_token(client.get("/portal/contacts").get_data(as_text=True))


def test_the_subcontractor_role_reaches_only_the_portal_and_its_own_account(app):
    reachable = {
        rule.endpoint for rule in app.url_map.iter_rules()
        if allows(rule.endpoint, "subcontractor", app)
        and declaration(rule.endpoint, app) != PUBLIC
    }
    stray = {
        endpoint for endpoint in reachable
        if not endpoint.startswith(("portal.", *OWN_ACCOUNT_AREAS))
        and endpoint not in OWN_ACCOUNT_ENDPOINTS
    }
    assert reachable, "no portal endpoint is declared for the subcontractor role"
    assert stray == set()
    portal = {rule.endpoint for rule in app.url_map.iter_rules()
              if rule.endpoint.startswith("portal.")}
    assert all(declaration(endpoint, app) == frozenset({"subcontractor"})
               for endpoint in portal)


def foreign_urls(tenant_b):
    """Return (method, url) for the portal's object routes, pointing at B's upload."""
    other = tenant_b.upload.id
    return [
        ("GET", f"/portal/attestations/{other}"),
        ("GET", f"/portal/attestations/{other}/document"),
    ]


def test_b_objects_by_url_are_not_found(tenant_a):
    client, _first, second = tenant_a
    before = fingerprint()
    for method, url in foreign_urls(second):
        response = client.open(url, method=method)
        assert response.status_code == 404, url
        assert second.subcontractor.name not in response.get_data(as_text=True)
    assert fingerprint() == before


def test_walking_ids_finds_only_own_uploads(tenant_a):
    client, first, second = tenant_a
    extra = [Attestation.create(subcontractor=second.subcontractor,
                                attestation_type=second.upload.attestation_type,
                                issuer="Hidden Oy", document=second.upload.document)
             for _ in range(3)]
    own = {first.upload.id}
    highest = max(row.id for row in extra)
    for attestation_id in range(0, highest + 3):
        for suffix in ("", "/document"):
            response = client.get(f"/portal/attestations/{attestation_id}{suffix}")
            expected = 200 if attestation_id in own else 404
            assert response.status_code == expected, (attestation_id, suffix)
            if suffix == "" and expected == 404:
                assert "Hidden Oy" not in response.get_data(as_text=True)


UPLOAD_FIELDS = {"issuer": "Forged Oy", "issued_on": "2026-01-05", "valid_until": "2029-01-04",
                 "standard_version": "2022"}
# (label, method, url, form): {a} and {b} are the companies' ids, {own} A's upload, {contact}
# B's reminder address.
TAMPERED = [
    ("query subcontractor", "GET", "/portal/?subcontractor={b}", None),
    ("query subcontractor_id", "GET", "/portal/attestations?subcontractor_id={b}", None),
    ("repeated, own first", "GET", "/portal/contacts?subcontractor={a}&subcontractor={b}", None),
    ("repeated, other first", "GET", "/portal/?subcontractor={b}&subcontractor={a}", None),
    ("on own upload", "GET", "/portal/attestations/{own}?subcontractor={b}", None),
    ("on own document", "GET", "/portal/attestations/{own}/document?subcontractor_id={b}", None),
    ("upload form", "GET", "/portal/attestations/new?type=iso27001&subcontractor={b}", None),
    ("validity preview", "GET",
     "/portal/attestations/validity?type=iso27001&issued_on=2026-01-01&subcontractor={b}", None),
    ("forged upload field", "POST", "/portal/attestations/new?type=iso27001",
     dict(UPLOAD_FIELDS, subcontractor_id="{b}")),
    ("forged upload query", "POST", "/portal/attestations/new?type=iso27001&subcontractor={b}",
     UPLOAD_FIELDS),
    ("forged contact field", "POST", "/portal/contacts",
     {"subcontractor_id": "{b}", "email": "attacker@evil.example"}),
    ("forged contact removal", "POST", "/portal/contacts/remove",
     {"subcontractor_id": "{b}", "email": "{contact}"}),
    ("repeated hidden fields", "POST", "/portal/contacts",
     {"subcontractor_id": ["{a}", "{b}"], "email": "attacker@evil.example"}),
]


def _filled(value, names):
    if isinstance(value, list):
        return [item.format(**names) for item in value]
    return value.format(**names)


@pytest.mark.parametrize(("method", "url", "form"), [case[1:] for case in TAMPERED],
                         ids=[case[0] for case in TAMPERED])
def test_naming_b_in_a_parameter_or_field_is_refused_and_changes_nothing(tenant_a, method, url,
                                                                         form):
    client, first, second = tenant_a
    names = {"a": first.subcontractor.id, "b": second.subcontractor.id,
             "own": first.upload.id, "contact": second.subcontractor.contacts[0]}
    before = fingerprint()
    if method == "GET":
        response = client.get(url.format(**names))
    else:
        data = {name: _filled(value, names) for name, value in form.items()}
        data["csrf_token"] = token(client)
        if "attestations/new" in url:
            data["file"] = (io.BytesIO(pdfs.valid_pdf(marker="forged")), "forged.pdf")
        response = client.post(url.format(**names), data=data,
                               content_type="multipart/form-data")
    assert response.status_code == 403
    assert fingerprint() == before


def test_removing_b_contact_from_a_portal_touches_neither_company(tenant_a):
    client, _first, second = tenant_a
    before = fingerprint()
    response = client.post("/portal/contacts/remove",
                           data={"email": second.subcontractor.contacts[0],
                                 "csrf_token": token(client)})
    assert response.status_code == 302
    assert fingerprint() == before


def _url_for_rule(app, rule, second):
    values = dict(rule.defaults or {})  # a rule like /register.csv fixes its `kind` this way
    for name in rule.arguments - values.keys():
        if isinstance(rule._converters[name], IntegerConverter):
            values[name] = (second.subcontractor.id if "subcontractor" in name
                            else second.upload.id)
        else:
            values[name] = "x" * 12
    with app.test_request_context():
        return app.url_map.bind("localhost").build(rule.endpoint, values)


def test_every_staff_route_is_refused_with_b_in_its_path(app, tenant_a):
    client, _first, second = tenant_a
    csrf = token(client)
    before = fingerprint()
    checked = 0
    for rule in app.url_map.iter_rules():
        if allows(rule.endpoint, "subcontractor", app):
            continue
        url = _url_for_rule(app, rule, second)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": csrf, "subcontractor_id": str(second.subcontractor.id)}
            response = client.open(url, method=method, data=data if method != "GET" else None)
            assert response.status_code in REFUSED, (method, url, response.status_code)
            checked += 1
    assert checked > 0
    assert fingerprint() == before
