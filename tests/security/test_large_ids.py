"""An id too large for the database is a 404 on every `<int:...>` route, never a 500.

Before, /dpas/9223372036854775808 reached the query and failed there (OverflowError on SQLite,
"integer out of range" on PostgreSQL, whose id columns are 32-bit). Walks app.url_map, so a
route added later is covered too.
"""

import pytest
from werkzeug.routing import IntegerConverter

from registry.security import MAX_ID
from tests.auth_helpers import login
from tests.factories import make_user

TOO_LARGE = (MAX_ID + 1, 2**63, 2**64, 10**30)


def _int_rules(app):
    return [
        rule for rule in app.url_map.iter_rules()
        if any(isinstance(rule._converters.get(name), IntegerConverter)
               for name in rule.arguments)
    ]


def _url(rule, number):
    return rule.build(dict.fromkeys(rule.arguments, number), append_unknown=False)[1]


def test_there_are_int_routes_to_walk(app):
    assert len(_int_rules(app)) > 20


@pytest.mark.parametrize("number", TOO_LARGE)
def test_every_int_route_answers_404_to_an_id_too_large(app, client, number):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    login(client, make_user("admin"))
    answers = {}
    for rule in _int_rules(app):
        url = _url(rule, number)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answers[f"{method} {url}"] = client.open(url, method=method).status_code
    assert {request: code for request, code in answers.items() if code != 404} == {}


def test_the_largest_id_is_still_an_ordinary_miss(app, client):
    login(client, make_user("admin"))
    assert client.get(f"/dpas/{MAX_ID}").status_code == 404
    assert client.get(f"/admin/users/{MAX_ID}").status_code == 404
