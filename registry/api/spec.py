"""The OpenAPI 3.1 document, written from the declared operations and their Pydantic models.

apispec (marshmallow-code's OpenAPI builder) assembles the document; Pydantic gives each
model's JSON Schema (draft 2020-12, the dialect OpenAPI 3.1 uses), so nothing is written by
hand. Every operation lists the problem responses it can give: 401 and 429 always, 403 for
what the token may not do, and the ones it declares (404, 412, 422 ...).
"""

import re
from functools import cache

from apispec import APISpec
from pydantic.json_schema import models_json_schema

from registry.api.endpoints import IF_MATCH_PATTERN, OPERATIONS
from registry.api.problems import MEDIA_TYPE
from registry.api.schemas import Problem

TITLE = "dpa-registry API"
VERSION = "1"
ALWAYS = (401, 403, 405, 406, 429)
REF = "#/components/schemas/{model}"
RULE_ARGUMENT = re.compile(r"<(?:int:)?(\w+)>")
ERROR_TEXT = {
    400: "Malformed request (e.g. a cursor this API did not give out).",
    401: "No valid token.", 403: "The token's scope or its owner's role does not allow this.",
    404: "No such item, or not yours to see.", 405: "Method not allowed.",
    406: "Only JSON is served.", 409: "The change conflicts with the item's state.",
    412: "If-Match does not match the current version.",
    413: "The body is larger than the upload limit.",
    415: "Send the body in the media type the operation names.",
    422: "Invalid members (`errors` names each).", 428: "If-Match is required.",
    429: "Rate limit reached (see Retry-After).",
    503: "Busy with other uploads for a moment (see Retry-After).",
}


def _models():
    models = {(Problem, "serialization")}
    for declared in OPERATIONS:
        if declared.response is not None:
            models.add((declared.response, "serialization"))
        if declared.body is not None:
            models.add((declared.body, "validation"))
    return sorted(models, key=lambda pair: (pair[0].__name__, pair[1]))


def _schemas():
    keys, top = models_json_schema(_models(), ref_template=REF)
    return keys, top.get("$defs", {})


def _path(rule):
    return RULE_ARGUMENT.sub(r"{\1}", rule)


def _path_parameters(rule):
    return [{"name": name, "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}
            for name in RULE_ARGUMENT.findall(rule)]


def _query_parameters(model):
    if model is None:
        return []
    schema = model.model_json_schema(ref_template=REF)
    parameters = []
    for name, prop in schema.get("properties", {}).items():
        prop = {key: value for key, value in prop.items() if key != "title"}
        description = prop.pop("description", None)
        parameter = {"name": name, "in": "query", "required": name in schema.get("required", ()),
                     "schema": prop}
        if description:
            parameter["description"] = description
        parameters.append(parameter)
    return parameters


def _problem(code):
    return {"description": ERROR_TEXT.get(code, "Error"),
            "content": {MEDIA_TYPE: {"schema": {"$ref": REF.format(model="Problem")}}}}


def _success(declared, keys):
    if declared.media_type != "application/json":
        # OpenAPI 3.1: raw bytes are a media type without a schema.
        return {"description": "The file.", "content": {declared.media_type: {}}}
    reference = keys[(declared.response, "serialization")]
    response = {"description": "OK" if declared.status == 200 else "Created",
                "headers": {"ETag": {"description": "The entity tag of this representation.",
                                     "schema": {"type": "string"}}},
                "content": {"application/json": {"schema": reference}}}
    if declared.links:
        response["links"] = {
            name: {"operationId": target, "parameters": {parameter: "$response.body#/id"}}
            for name, (target, parameter) in declared.links.items()}
    return response


def _operation(declared, keys):
    parameters = _path_parameters(declared.rule) + _query_parameters(declared.query)
    if declared.if_match:
        parameters.append({"name": "If-Match", "in": "header", "required": True,
                           "description": "The ETag of the version read, e.g. \"r3\".",
                           "schema": {"type": "string", "pattern": IF_MATCH_PATTERN}})
    responses = {str(declared.status): _success(declared, keys)}
    if declared.method == "GET":
        parameters.append({"name": "If-None-Match", "in": "header", "required": False,
                           "description": "An ETag you hold: 304 while it is current.",
                           "schema": {"type": "string"}})
        responses["304"] = {"description": "Not modified: your copy (its ETag) is current.",
                            "headers": {"ETag": {"schema": {"type": "string"}}}}
    for code in sorted({*ALWAYS, *declared.errors}):
        responses[str(code)] = _problem(code)
    result = {"operationId": declared.name, "summary": declared.summary,
              "tags": [declared.tag], "parameters": parameters, "responses": responses,
              "security": [{"bearer": []}],
              "x-roles": list(declared.roles), "x-scope": declared.scope}
    if declared.body is not None:
        media_type = "multipart/form-data" if declared.multipart else "application/json"
        result["requestBody"] = {"required": True, "content": {
            media_type: {"schema": keys[(declared.body, "validation")]}}}
    return result


@cache
def document(server_url="/api/v1"):
    """Return the OpenAPI document (a dict) of every declared operation."""
    spec = APISpec(title=TITLE, version=VERSION, openapi_version="3.1.0", info={
        "description": "The registry's REST API. Authenticate with a personal API token "
                       "(Authorization: Bearer <token>). Errors are RFC 9457 problem details.",
        "license": {"name": "MIT", "identifier": "MIT"}},
        servers=[{"url": server_url}])
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "description": "A personal API token."})
    keys, definitions = _schemas()
    for name, schema in sorted(definitions.items()):
        spec.components.schema(name, schema)
    paths = {}
    for declared in OPERATIONS:
        paths.setdefault(_path(declared.rule), {})[declared.method.lower()] = _operation(
            declared, keys)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
