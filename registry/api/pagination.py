"""Cursor pagination: a page of rows after the last id the client saw, in id order.

The cursor is opaque to clients (URL-safe base64 of a small JSON object); a malformed one is
a 400. Keyset pagination over the id keeps pages stable while rows are added, and costs the
same on the hundredth page as on the first. Findings, which are computed rather than stored,
page by position in the assessment's own order (`position`).
"""

import base64
import json

from flask import request, url_for

from registry.api.problems import Problem


def encode(values):
    """Return an opaque cursor for `values`."""
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode(cursor, key):
    """Return the integer `key` of a cursor, or raise a 400 Problem."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        number = values[key]
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise Problem(400, "The cursor is not one this API gave out.") from None
    if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number < 2**31:
        raise Problem(400, "The cursor is not one this API gave out.")
    return number


def _link(next_cursor):
    if next_cursor is None:
        return {}
    arguments = {**request.args.to_dict(), "cursor": next_cursor}
    url = url_for(request.endpoint, **request.view_args, **arguments)
    return {"Link": f'<{url}>; rel="next"'}


def keyset(query, model, page):
    """Return (rows, next cursor, headers) of one page of `query`, ordered by `model.id`."""
    if page.cursor is not None:
        query = query.where(model.id > decode(page.cursor, "after"))
    rows = list(query.order_by(model.id).limit(page.limit + 1))
    next_cursor = encode({"after": rows[page.limit - 1].id}) if len(rows) > page.limit else None
    return rows[:page.limit], next_cursor, _link(next_cursor)


def position(items, page):
    """Return (items, next cursor, headers) of one page of a computed list."""
    start = decode(page.cursor, "at") if page.cursor is not None else 0
    shown = items[start:start + page.limit]
    end = start + len(shown)
    next_cursor = encode({"at": end}) if end < len(items) else None
    return shown, next_cursor, _link(next_cursor)
