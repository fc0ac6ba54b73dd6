"""DPAs ended through the API as the DPA page ends them."""

from registry.models import AuditEvent, Dpa
from tests.registry_factories import days, make_dpa


def test_a_signed_dpa_is_terminated_once_on_the_version_read(app, api, issue_token):
    dpa = make_dpa()
    token, user = issue_token("legal", "write")
    url = f"/api/v1/dpas/{dpa.id}/terminate"
    end = {"terminated_on": str(days(-1)), "return_or_deletion": "deletion"}
    assert api.post(url, token=token, json=end).status_code == 428
    assert api.post(url, token=token, json=end, headers={"If-Match": '"r9"'}).status_code == 412
    ended = api.post(url, token=token, json=end, headers={"If-Match": '"r1"'})
    assert ended.status_code == 200, ended.get_json()
    body = ended.get_json()
    assert body["status"] == "terminated" and body["terminated_on"] == str(days(-1))
    assert body["return_or_deletion"] == "deletion" and ended.headers["ETag"] == '"r2"'
    assert AuditEvent.get(AuditEvent.action == "dpa.terminated").actor_id == user.id
    again = api.post(url, token=token, json=end, headers={"If-Match": "*"})
    assert again.status_code == 409 and "Only a signed DPA" in again.get_json()["detail"]


def test_a_later_end_keeps_the_dpa_in_force_and_a_draft_cannot_end(app, api, issue_token):
    signed, draft = make_dpa(), make_dpa(status="draft", signed_on=None, effective_from=None)
    token, _user = issue_token("admin", "write")
    later = api.post(f"/api/v1/dpas/{signed.id}/terminate", token=token,
                     headers={"If-Match": '"r1"'},
                     json={"terminated_on": str(days(30)), "return_or_deletion": "return"})
    assert later.status_code == 200 and later.get_json()["status"] == "signed"
    refused = api.post(f"/api/v1/dpas/{draft.id}/terminate", token=token,
                       headers={"If-Match": '"r1"'},
                       json={"terminated_on": str(days(0)), "return_or_deletion": "return"})
    assert refused.status_code == 409 and "signed" in refused.get_json()["detail"]
    assert Dpa.get_by_id(draft.id).terminated_on is None
