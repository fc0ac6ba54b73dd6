"""Engagements created and changed through the API with the engagement page's forms."""

from registry.models import AuditEvent, Engagement
from tests.registry_factories import days, make_controller, make_engagement, make_subcontractor


def test_a_subcontractor_is_engaged_for_the_controllers_named(app, api, issue_token):
    subcontractor = make_subcontractor()
    first, second = make_controller(name="Alpha Oy"), make_controller(name="Beta Oy")
    token, user = issue_token("legal", "write")
    url = f"/api/v1/subcontractors/{subcontractor.id}/engagements"
    none = api.post(url, token=token, json={"controller_ids": []})
    assert none.status_code == 422 and "controllers" in none.get_json()["errors"]
    response = api.post(url, token=token, json={"controller_ids": [first.id, second.id],
                                                 "notes": "Hosting"})
    assert response.status_code == 201, response.get_json()
    items = response.get_json()["items"]
    assert sorted(item["controller_id"] for item in items) == sorted([first.id, second.id])
    assert all(item["proposed_on"] == str(days(0)) for item in items)
    events = AuditEvent.select().where(AuditEvent.action == "engagement.created")
    assert events.count() == 2 and {event.actor_id for event in events} == {user.id}
    # The form offers only controllers it is not engaged for yet, as the web page does.
    again = api.post(url, token=token, json={"controller_ids": [first.id]})
    assert again.status_code == 422 and "controllers" in again.get_json()["errors"]
    every = api.post(url, token=token, json={"scope": "all", "on_list_at_signing": True})
    assert every.status_code == 201 and every.get_json()["items"][0]["controller_id"] is None
    assert api.post(url, token=token, json={"scope": "all"}).status_code == 409


def test_an_offboarded_subcontractor_cannot_be_engaged(app, api, issue_token):
    subcontractor = make_subcontractor(status="offboarded", offboarded_on=days(-1))
    token, _user = issue_token("admin", "write")
    response = api.post(f"/api/v1/subcontractors/{subcontractor.id}/engagements", token=token,
                        json={"scope": "all"})
    assert response.status_code == 409 and "offboarded" in response.get_json()["detail"]
    assert Engagement.select().count() == 0


def test_an_objection_is_recorded_once_with_the_current_etag(app, api, issue_token):
    engagement = make_engagement(controller=make_controller(), on_list_at_signing=False)
    token, user = issue_token("legal", "write")
    url = f"/api/v1/engagements/{engagement.id}/objection"
    body = {"objected_on": str(days(-1)), "note": "The DPO objects to processing in the US."}
    assert api.post(url, token=token, json=body).status_code == 428
    future = api.post(url, token=token, json={**body, "objected_on": str(days(3))},
                      headers={"If-Match": '"r1"'})
    assert future.status_code == 422 and "objected_on" in future.get_json()["errors"]
    done = api.post(url, token=token, json=body, headers={"If-Match": '"r1"'})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["objected_on"] == str(days(-1)) and done.headers["ETag"] == '"r2"'
    assert AuditEvent.get(AuditEvent.action == "engagement.objected").actor_id == user.id
    assert api.post(url, token=token, json=body, headers={"If-Match": '"r1"'}).status_code == 412
    assert api.post(url, token=token, json=body, headers={"If-Match": "*"}).status_code == 409


def test_an_objection_to_an_every_controller_engagement_names_the_controller(app, api,
                                                                            issue_token):
    controller = make_controller()
    shared = make_engagement(on_list_at_signing=False)
    token, _user = issue_token("legal", "write")
    url = f"/api/v1/engagements/{shared.id}/objection"
    body = {"objected_on": str(days(-1)), "note": "Objects."}
    unnamed = api.post(url, token=token, json=body, headers={"If-Match": '"r1"'})
    assert unnamed.status_code == 422 and "controller" in unnamed.get_json()["errors"]
    named = api.post(url, token=token, json={**body, "controller_id": controller.id},
                     headers={"If-Match": '"r1"'})
    assert named.status_code == 200, named.get_json()
    assert named.get_json()["controller_id"] == controller.id
    assert named.get_json()["id"] != shared.id
    assert Engagement.get_by_id(shared.id).objected_on is None


def test_an_approval_on_file_needs_its_reference_and_a_withdrawal_ends_it(app, api,
                                                                          issue_token):
    engagement = make_engagement(controller=make_controller(), on_list_at_signing=False)
    token, user = issue_token("admin", "write")
    url = f"/api/v1/engagements/{engagement.id}"
    blank = api.post(f"{url}/approval", token=token, headers={"If-Match": '"r1"'},
                     json={"approved_on": str(days(-2)), "reference": " "})
    assert blank.status_code == 422
    approved = api.post(f"{url}/approval", token=token, headers={"If-Match": '"r1"'},
                        json={"approved_on": str(days(-2)), "reference": "E-mail of the DPO"})
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["approved_on"] == str(days(-2))
    assert "E-mail of the DPO" in approved.get_json()["notes"]
    assert AuditEvent.get(AuditEvent.action == "engagement.approved").actor_id == user.id
    withdrawn = api.post(f"{url}/withdraw", token=token, headers={"If-Match": '"r2"'},
                         json={"withdrawn_on": str(days(0))})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["withdrawn_on"] == str(days(0))
    assert AuditEvent.get(AuditEvent.action == "engagement.withdrawn").actor_id == user.id
    after = api.post(f"{url}/withdraw", token=token, headers={"If-Match": '"r3"'},
                     json={"withdrawn_on": str(days(0))})
    assert after.status_code == 409 and "withdrawn" in after.get_json()["detail"]
