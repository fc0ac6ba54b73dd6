"""Legal staff invite a company's people from `/subcontractors/<id>/invite`."""

import pytest

from registry.models import Invitation, User
from tests.auth_helpers import login, post_form
from tests.factories import make_user


def test_legal_staff_invite_a_person_bound_to_the_company(world, client):
    first, _second, legal = world
    login(client, legal)
    url = f"/subcontractors/{first.subcontractor.id}/invite"
    response = post_form(client, url, {"email": "new@alpha.example", "full_name": "Nea"})
    assert response.status_code == 302
    user = User.get(User.email == "new@alpha.example")
    assert (user.role, user.subcontractor_id, user.password_hash) == (
        "subcontractor", first.subcontractor.id, None)
    assert Invitation.get(Invitation.user == user).created_by_id == legal.id
    assert "Invitation sent to new@alpha.example" in client.get(
        response.headers["Location"]).get_data(as_text=True)


def test_an_existing_address_or_an_offboarded_company_is_refused(world, client):
    first, second, legal = world
    login(client, legal)
    response = post_form(client, f"/subcontractors/{first.subcontractor.id}/invite",
                         {"email": second.user.email})
    assert response.status_code == 422
    assert "exists already" in response.get_data(as_text=True)
    first.subcontractor.status = "offboarded"
    first.subcontractor.save()
    response = post_form(client, f"/subcontractors/{first.subcontractor.id}/invite",
                         {"email": "late@alpha.example"},
                         page_url=f"/subcontractors/{second.subcontractor.id}/invite")
    assert response.status_code == 422
    assert User.get_or_none(User.email == "late@alpha.example") is None


def test_an_unknown_company_is_not_found(world, client):
    _first, _second, legal = world
    login(client, legal)
    assert client.get("/subcontractors/999/invite").status_code == 404


@pytest.mark.parametrize("role", ["auditor", "subcontractor"])
def test_only_legal_staff_may_invite(world, client, role):
    first, second, _legal = world
    user = second.user if role == "subcontractor" else make_user("auditor")
    login(client, user)
    assert client.get(f"/subcontractors/{first.subcontractor.id}/invite").status_code == 403
    count = User.select().count()
    response = client.post(f"/subcontractors/{second.subcontractor.id}/invite",
                           data={"email": "x@bravo.example"})
    assert response.status_code == 403
    assert User.select().count() == count
