"""Checking each API response against the served OpenAPI document (openapi-core)."""

import json

from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request


class Contract:
    """The app's OpenAPI document, and a check of one response against it."""

    def __init__(self, app):
        document = app.test_client().get("/api/v1/openapi.json").get_json()
        self.openapi = OpenAPI.from_dict(document, config=Config(
            extra_media_type_deserializers={"application/problem+json": json.loads}))
        self.checked = 0

    def check(self, method, url, response, headers=None, **request_arguments):
        """Raise when `response` (status, headers, body) is not what the document promises."""
        if not url.startswith("/api/v1/") or url == "/api/v1/openapi.json":
            return
        if isinstance(request_arguments.get("data"), dict):
            # A multipart body: its files were read (and closed) by the request; the response
            # check needs the request's path and method only.
            request_arguments = {key: value for key, value in request_arguments.items()
                                 if key != "data"}
        builder = EnvironBuilder(path=url, method=method, headers=headers,
                                 base_url="http://localhost", **request_arguments)
        request = WerkzeugOpenAPIRequest(Request(builder.get_environ()))
        try:
            self.openapi.validate_response(request, WerkzeugOpenAPIResponse(response))
        except (PathNotFound, OperationNotFound):
            # No such route or method: the answer must still be a problem document.
            assert response.status_code in (404, 405), response.status_code
            assert response.mimetype == "application/problem+json"
        self.checked += 1
