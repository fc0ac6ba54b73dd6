"""Every API error as application/problem+json (RFC 9457), whatever raised it.

Views raise `Problem` (or an HTTPException); routing errors (404, 405), the rate limit (429)
and crashes (500) reach the app's error handlers, which `install` wraps so that a request under
/api/ gets a problem document while a page keeps its HTML error page.
"""

from flask import current_app, json, request
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import HTTP_STATUS_CODES

API_PREFIX = "/api/"
MEDIA_TYPE = "application/problem+json"
CODES = (400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 428, 429, 500, 503)
DETAILS = {
    400: "The request could not be understood.",
    401: "Send a valid, unexpired API token: Authorization: Bearer <token>.",
    403: "This token (its scope, or its owner's role) does not allow this.",
    404: "There is nothing at this address, or it is not yours to see.",
    405: "This address does not accept that method.",
    406: "This address answers with JSON only.",
    413: "The request body is too large.",
    415: "Send the body as application/json.",
    429: "Too many requests with this token; wait and try again.",
    500: "The error has been logged. Please try again later.",
    503: "The registry is unavailable for a moment. Please try again.",
}


class Problem(Exception):
    """An API error with its status, a human-readable detail and optional extension members."""

    def __init__(self, status, detail=None, headers=None, **extensions):
        super().__init__(detail or DETAILS.get(status, ""))
        self.status = status
        self.detail = detail or DETAILS.get(status, HTTP_STATUS_CODES.get(status, ""))
        self.headers = headers or {}
        self.extensions = extensions


def is_api_request():
    """Tell whether the current request is addressed to the API."""
    return request.path.startswith(API_PREFIX)


def problem_response(status, detail=None, headers=None, **extensions):
    """Return a problem+json response."""
    body = {"type": "about:blank", "title": HTTP_STATUS_CODES.get(status, "Error"),
            "status": status, "detail": detail or DETAILS.get(status, ""),
            "instance": request.path, **extensions}
    response = current_app.response_class(json.dumps(body), status=status,
                                          mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def from_problem(problem):
    """Answer a raised Problem."""
    return problem_response(problem.status, problem.detail, problem.headers,
                            **problem.extensions)


def _headers_of(error):
    if not isinstance(error, HTTPException):
        return {}
    headers = dict(error.get_response().headers)
    return {name: value for name, value in headers.items() if name in ("Allow", "Retry-After")}


def from_http_error(error):
    """Answer an HTTPException (or a crash, as 500) with a problem document."""
    status = error.code if isinstance(error, HTTPException) and error.code else 500
    headers = _headers_of(error)
    if status == 429:
        from registry.security import retry_after_seconds

        headers["Retry-After"] = str(retry_after_seconds())
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="dpa-registry"'
    return problem_response(status, DETAILS.get(status), headers)


def _dispatching(fallback):
    def handle(error):
        if is_api_request():
            return from_http_error(error)
        return fallback(error) if fallback else error

    return handle


def install(app):
    """Answer errors of API requests with problem documents; pages keep their handlers."""
    for code in CODES:
        registered = app.error_handler_spec[None].get(code, {})
        fallback = next(iter(registered.values()), None)
        app.register_error_handler(code, _dispatching(fallback))
    app.register_error_handler(Problem, from_problem)
    if 500 not in app.error_handler_spec[None]:
        app.register_error_handler(InternalServerError, _dispatching(None))
