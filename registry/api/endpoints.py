"""Declaring an API operation once: its route, who may call it, and its schemas.

`@operation(...)` registers the view on the API blueprint and records an `Operation`, from
which registry.api.spec writes the OpenAPI document, so the document and the code cannot
disagree. The wrapper it puts around the view checks the token's role and scope, parses the
query string and the JSON body with the operation's Pydantic models (extra members refused),
requires `If-Match` where the operation changes a versioned row, and serialises the result
with an ETag.

For the session-based access hook (registry.auth.access) API views are public: the API never
reads the session. The API's own hook (registry.api.auth) refuses every request without a
valid token, and `authorise` below refuses any role or scope the operation does not declare.
"""

import hashlib
import re
from dataclasses import dataclass, field

from flask import current_app, g, json, request
from pydantic import BaseModel, ValidationError

from registry.api.problems import Problem
from registry.api.tokens import may_write
from registry.auth.access import public

API_ACCESS = "_registry_api_access"
IF_MATCH_PATTERN = r'^(\*|"r[0-9]{1,9}")$'
IF_MATCH = re.compile(IF_MATCH_PATTERN)
OPERATIONS = []


@dataclass(frozen=True)
class Operation:
    """One API operation, as the OpenAPI document describes it."""

    method: str
    rule: str
    name: str
    tag: str
    summary: str
    roles: tuple
    scope: str
    query: type | None = None
    body: type | None = None
    response: type | None = None
    status: int = 200
    media_type: str = "application/json"
    multipart: bool = False  # the body is multipart/form-data (with a file), not JSON
    if_match: bool = False
    errors: tuple = ()
    links: dict = field(default_factory=dict)
    description: str = ""


def authorise(declared):
    """Refuse (403) a token whose owner's role or whose scope the operation does not admit."""
    user, token = g.api_user, g.api_token
    if user.role not in declared.roles:
        raise Problem(403, f"A {user.role} account may not use this operation.")
    if declared.scope == "write" and not may_write(token, user):
        raise Problem(403, "This token may only read: create a write token to change data.")


def _problem_errors(error):
    errors = {}
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"]) or "body"
        errors.setdefault(where, []).append(item["msg"])
    return errors


def parse(model, data):
    """Return `data` validated by `model`, or raise a 422 Problem naming each bad member."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise Problem(422, "The request has invalid members.",
                      errors=_problem_errors(error)) from None


def _query(model):
    data = {}
    for key in request.args:
        values = request.args.getlist(key)
        data[key] = values if len(values) > 1 else values[0]
    return parse(model, data)


def _multipart(model):
    if request.mimetype != "multipart/form-data":
        raise Problem(415, "Send the body as multipart/form-data: the file and the other "
                           "members as form fields.")
    data = {}
    for source in (request.form, request.files):
        for key in source:
            values = source.getlist(key)
            data[key] = values if len(values) > 1 else values[0]
    return parse(model, data)


def _body(model):
    if not request.is_json:
        raise Problem(415)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise Problem(400, "The body must be a JSON object.")
    return parse(model, payload)


def required_if_match():
    """Return the If-Match header's entity tag; 428 without one, 400 for one of another form."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise Problem(428, "Send If-Match with the ETag of the version you read, so that a "
                           "change made meanwhile is not overwritten.")
    if not IF_MATCH.fullmatch(header):
        raise Problem(400, 'If-Match must be the ETag this API gave for the item, e.g. "r3".')
    return header


def json_response(payload, status=200, headers=None, etag=None):
    """Return `payload` (a Pydantic model or JSON-ready data) with a strong ETag."""
    if isinstance(payload, BaseModel):
        payload = payload.model_dump(mode="json")
    body = json.dumps(payload)
    etag = etag or '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    if request.method == "GET" and status == 200 and _still_current(etag):
        return current_app.response_class(status=304, headers={"ETag": etag})
    response = current_app.response_class(body, status=status, mimetype="application/json")
    response.headers["ETag"] = etag
    response.headers.update(headers or {})
    return response


def _still_current(etag):
    """Tell whether If-None-Match names `etag` (or is `*`): the client's copy is current."""
    tags = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    return "*" in tags or etag in tags


def _wrap(view, declared):
    def run(**path):
        authorise(declared)
        arguments = dict(path)
        if declared.query is not None:
            arguments["query"] = _query(declared.query)
        if declared.body is not None:
            arguments["body"] = (_multipart if declared.multipart else _body)(declared.body)
        if declared.if_match:
            arguments["if_match"] = required_if_match()
        result = view(**arguments)
        if isinstance(result, current_app.response_class):
            return result
        return json_response(result, declared.status)

    run.__name__ = view.__name__
    run.__doc__ = view.__doc__
    setattr(run, API_ACCESS, declared)
    return public(run)


def operation(blueprint, method, rule, *, tag, roles, scope="read", **details):
    """Register the decorated view as an API operation (see `Operation` for `details`)."""

    def register(view):
        summary = details.pop("summary", None) or (view.__doc__ or "").strip().splitlines()[0]
        declared = Operation(method=method, rule=rule, name=view.__name__, tag=tag,
                             summary=summary, roles=tuple(roles), scope=scope, **details)
        OPERATIONS.append(declared)
        blueprint.add_url_rule(rule, view.__name__, _wrap(view, declared), methods=[method])
        return view

    return register


def declared_operation(view_function):
    """Return the Operation a registered view function carries, or None."""
    return getattr(view_function, API_ACCESS, None)
