"""Every route declares who may use it, and refuses everyone else (walks app.url_map).

Generic on purpose: a route another area adds later is covered without editing this file, and
one without a `@roles_required(...)` / `@public` declaration fails the first test.
"""

import uuid

import pytest
from werkzeug.routing import IntegerConverter, UUIDConverter

from registry.auth.access import PUBLIC, access_refused, allows, declaration
from registry.models import ROLES
from tests.auth_helpers import login, login_form
from tests.factories import PASSWORD, make_subcontractor, make_user

SUBCONTRACTOR_AREAS = ("/portal", "/account")
ADMIN_AREA = "/admin"


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def _sample_url(app, rule):
    values = dict(rule.defaults or {})  # a rule like /register.csv fixes its `kind` this way
    for name in rule.arguments - values.keys():
        converter = rule._converters[name]
        if isinstance(converter, IntegerConverter):
            values[name] = 1
        elif isinstance(converter, UUIDConverter):
            values[name] = uuid.UUID(int=1)
        else:
            values[name] = "sample"
    return rule.build(values, append_unknown=False)[1]


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_endpoint_declares_its_access(app):
    undeclared = [rule.endpoint for rule in _rules(app) if declaration(rule.endpoint) is None]
    assert undeclared == [], f"add @roles_required(...) or @public to: {undeclared}"


def test_declarations_follow_the_role_model(app):
    for rule in _rules(app):
        declared = declaration(rule.endpoint)
        if declared == PUBLIC:
            continue
        if rule.rule.startswith(ADMIN_AREA):
            assert declared == {"admin"}, rule.rule
        if "subcontractor" in declared:
            assert rule.rule.startswith(SUBCONTRACTOR_AREAS) or declared == set(ROLES), \
                f"{rule.rule}: subcontractor users may only use the portal and their account"


@pytest.fixture
def clients_by_role(app, make_client):
    """One signed-in client per role, plus an anonymous one and one after the password step."""
    clients = {None: make_client()}
    for role in ROLES:
        clients[role] = login(make_client(), make_user(role))
    pending = make_client()
    login_form(pending, make_user("admin").email, PASSWORD)
    clients["password-only"] = pending
    return clients


def _request(client, method, url):
    refused = []

    def receiver(_sender, **extra):
        refused.append(extra["reason"])

    with access_refused.connected_to(receiver):
        response = client.open(url, method=method)
    return response, refused


def test_every_route_refuses_every_role_it_should(app, clients_by_role):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a view's own bug is not this test's subject
    checked = 0
    for rule in _rules(app):
        url = _sample_url(app, rule)
        for method in _methods(rule):
            for role, client in clients_by_role.items():
                effective = None if role == "password-only" else role
                expected = allows(rule.endpoint, effective)
                response, refused = _request(client, method, url)
                where = f"{method} {rule.rule} as {role}"
                if expected:
                    assert not refused, where
                    continue
                assert refused, f"{where} was not refused ({response.status_code})"
                if effective is None:
                    assert response.status_code == 302, where
                    assert response.headers["Location"].startswith("/login"), where
                else:
                    assert response.status_code == 403, where
                checked += 1
    assert checked > 0


def test_admin_pages_refuse_staff_who_are_not_admins(app, clients_by_role):
    for role in ("legal", "auditor", "subcontractor"):
        assert clients_by_role[role].get("/admin/users").status_code == 403
    assert clients_by_role["admin"].get("/admin/users").status_code == 200


def test_an_undeclared_view_is_refused(app, client):
    app.add_url_rule("/forgotten", "forgotten", lambda: "secret data")
    refused = []
    with access_refused.connected_to(lambda _s, **extra: refused.append(extra["reason"])):
        response = client.get("/forgotten")
    assert response.status_code == 403 and "secret data" not in response.get_data(as_text=True)
    assert refused == ["undeclared"]


def test_unknown_roles_cannot_be_declared():
    from registry.auth.access import roles_required

    with pytest.raises(ValueError):
        roles_required("superuser")
    with pytest.raises(ValueError):
        roles_required()


# The API (registry.api): tokens only, each operation's roles and scope, each company's rows.

def _api_rules(app):
    return [rule for rule in _rules(app) if rule.rule.startswith("/api/v1/")]


def test_every_api_route_declares_an_operation_or_is_open(app):
    from registry.api.auth import OPEN_ENDPOINTS
    from registry.api.endpoints import declared_operation

    for rule in _api_rules(app):
        declared = declared_operation(app.view_functions[rule.endpoint])
        assert declared is not None or rule.endpoint in OPEN_ENDPOINTS, rule.rule


def test_every_api_route_ignores_signed_in_sessions(app, clients_by_role):
    from registry.api.auth import OPEN_ENDPOINTS

    for rule in _api_rules(app):
        if rule.endpoint in OPEN_ENDPOINTS:
            continue
        url = _sample_url(app, rule)
        for method in _methods(rule):
            for role, client in clients_by_role.items():
                response = client.open(url, method=method)
                where = f"{method} {rule.rule} with the session of {role}"
                assert response.status_code == 401, where
                assert response.mimetype == "application/problem+json", where
                assert "Set-Cookie" not in response.headers, where


@pytest.fixture
def tokens_by_role(app):
    """A read and (where the role may have one) a write token per role; the subcontractor's
    company is the second one: company 1, its attestation 1 and its incident 1 are another's."""
    from registry.api import tokens
    from registry.models import Attestation, AttestationType, Incident, utcnow

    other_company = make_subcontractor()
    kind = AttestationType.create(code="walk", name="Walk")
    Attestation.create(subcontractor=other_company, attestation_type=kind, review="pending")
    Incident.create(reference="WALK-1", title="Walk", aware_at=utcnow(),
                    detected_by="subcontractor", subcontractor=other_company)
    own_company = make_subcontractor()
    found = {}
    for role in ROLES:
        user = make_user(role, subcontractor=own_company)
        for scope in ("read", "write"):
            if scope == "write" and role not in tokens.WRITE_ROLES:
                continue
            found[(role, scope)] = (tokens.issue(user, f"walk {scope}", scope).secret, user)
    return found


def _api_allows(declared, role, scope):
    from registry.api.tokens import WRITE_ROLES

    if role not in declared.roles:
        return False
    return declared.scope == "read" or (scope == "write" and role in WRITE_ROLES)


def test_every_api_route_refuses_every_token_it_should(app, tokens_by_role):
    from registry.api.auth import OPEN_ENDPOINTS
    from registry.api.endpoints import declared_operation

    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    checked = 0
    for rule in _api_rules(app):
        if rule.endpoint in OPEN_ENDPOINTS:
            continue
        declared = declared_operation(app.view_functions[rule.endpoint])
        url = _sample_url(app, rule)
        for method in _methods(rule):
            anonymous = client.open(url, method=method)
            assert anonymous.status_code == 401, f"{method} {rule.rule} without a token"
            for (role, scope), (secret, user) in tokens_by_role.items():
                response = client.open(url, method=method,
                                       headers={"Authorization": f"Bearer {secret}"})
                where = f"{method} {rule.rule} with a {scope} token of {role}"
                assert response.mimetype in ("application/json", "application/problem+json",
                                             "application/pdf"), where
                if not _api_allows(declared, role, scope):
                    assert response.status_code == 403, f"{where} was not refused"
                    checked += 1
                    continue
                assert response.status_code not in (401, 403), where
                if role == "subcontractor":  # id 1 is the other company's, and its rows
                    assert response.status_code in (200, 404), where
                    if response.status_code == 200:
                        items = response.get_json()["items"]
                        companies = {item.get("subcontractor_id", item["id"]) for item in items}
                        assert companies <= {user.subcontractor_id}, where
    assert checked > 0
