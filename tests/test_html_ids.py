"""Pages with several forms keep every element id unique (labels and scripts rely on ids)."""

import re
from collections import Counter

import pytest

from tests.controllers.helpers import signed_in, text
from tests.registry_factories import days, make_dpa, make_engagement, make_subcontractor


def _duplicate_ids(page):
    return [name for name, count in Counter(re.findall(r'\sid="([^"]+)"', page)).items()
            if count > 1]


@pytest.mark.parametrize("url", ["/account", "/dpas/{dpa}"])
def test_pages_with_several_forms_have_unique_ids(app, client, url):
    dpa = make_dpa()
    signed_in(client, "admin")
    page = text(client.get(url.format(dpa=dpa.id)))
    assert page.count('name="csrf_token"') >= 2
    assert _duplicate_ids(page) == []


def test_the_engagement_page_with_its_three_action_forms_has_unique_ids(app, client):
    dpa = make_dpa()
    engagement = make_engagement(subcontractor=make_subcontractor(), controller=dpa.controller,
                                 on_list_at_signing=False, notified_on=days(-3))
    signed_in(client, "legal")
    page = text(client.get(f"/engagements/{engagement.id}"))
    assert page.count('name="csrf_token"') >= 3
    assert _duplicate_ids(page) == []
