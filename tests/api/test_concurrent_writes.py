"""If-Match is checked under the row lock, inside the operation's transaction: of two writers
that both read version r1, the one that locks the row second gets 412, even though the row was
still at r1 when its request arrived (the check before the operation passed)."""

import threading

import pytest

from registry import audit
from registry.dpas import operations as dpa_operations
from registry.engagements import operations as engagement_operations
from registry.extensions import database
from registry.instructions import operations as instruction_operations
from registry.models import AuditEvent, Dpa, Engagement, Instruction
from tests.factories import make_user
from tests.registry_factories import (
    days,
    make_controller,
    make_dpa,
    make_engagement,
    make_instruction,
)

WAIT = 30
HOLD = 0.5  # how long the first writer keeps the row locked after the second one arrived


def _acknowledgement():
    instruction = make_instruction(acknowledged_on=None)
    return (Instruction, instruction, f"/api/v1/instructions/{instruction.id}/acknowledge",
            None, lambda row, user: instruction_operations.acknowledge(row, user),
            "instruction.acknowledged")


def _withdrawal():
    engagement = make_engagement(controller=make_controller(), on_list_at_signing=False)
    return (Engagement, engagement, f"/api/v1/engagements/{engagement.id}/withdraw",
            {"withdrawn_on": str(days(-1))},
            lambda row, user: engagement_operations.withdraw_engagement(row, days(-2), user),
            "engagement.withdrawn")


def _objection():
    engagement = make_engagement(controller=make_controller(), on_list_at_signing=False)
    return (Engagement, engagement, f"/api/v1/engagements/{engagement.id}/objection",
            {"objected_on": str(days(-1)), "note": "The DPO objected by e-mail."},
            lambda row, user: engagement_operations.record_approval(
                row, days(-2), None, "Signed letter, folder 3", user),
            "engagement.approved")


def _termination():
    dpa = make_dpa()
    return (Dpa, dpa, f"/api/v1/dpas/{dpa.id}/terminate",
            {"terminated_on": str(days(-1)), "return_or_deletion": "deletion"},
            lambda row, user: dpa_operations.terminate_dpa(row, days(-2), "return", user),
            "dpa.terminated")


def _notice():
    controller = make_controller(privacy_contacts=["privacy@kauppa.example"])
    make_dpa(controller, objection_period_days=14)
    engagement = make_engagement(controller=controller, on_list_at_signing=False)
    return (Engagement, engagement, f"/api/v1/engagements/{engagement.id}/notify",
            {"send_despite_gaps": True},
            lambda row, user: engagement_operations.withdraw_engagement(row, days(-2), user),
            "engagement.withdrawn")


@pytest.mark.parametrize("scenario",
                         [_acknowledgement, _withdrawal, _objection, _termination, _notice],
                         ids=["acknowledge", "withdraw", "objection", "terminate", "notice"])
def test_the_second_of_two_writers_gets_412_under_the_row_lock(app, api, issue_token,
                                                              monkeypatch, scenario):
    model, row, url, body, first_change, first_action = scenario()
    token, _user = issue_token("legal", "write")
    first_writer = make_user("admin")
    inside, release, outcome = threading.Event(), threading.Event(), []
    record = audit.record

    def record_then_hold(*args, **kwargs):
        record(*args, **kwargs)
        if threading.current_thread().name == "first-writer":
            inside.set()  # the row is locked and changed, not yet committed
            release.wait(WAIT)

    monkeypatch.setattr(audit, "record", record_then_hold)

    def write_first():
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                first_change(model.get_by_id(row.id), first_writer)
                outcome.append("done")
            finally:
                database.close()

    # The second writer reads r1 (its token's last use is recorded now, not while locked).
    assert api.get(url.rsplit("/", 1)[0], token=token).headers["ETag"] == '"r1"'
    first = threading.Thread(target=write_first, name="first-writer")
    first.start()
    assert inside.wait(WAIT)
    threading.Timer(HOLD, release.set).start()
    second = api.post(url, token=token, json=body, headers={"If-Match": '"r1"'})
    first.join(WAIT)
    assert outcome == ["done"]
    assert second.status_code == 412, second.get_json()
    assert "changed by someone else" in second.get_json()["detail"]
    assert model.get_by_id(row.id).row_version == 2
    assert AuditEvent.select().where(AuditEvent.action == first_action).count() == 1


def test_if_match_star_changes_whatever_the_version(app, api, issue_token):
    instruction = make_instruction(acknowledged_on=None, title="Retention")
    token, _user = issue_token("legal", "write")
    Instruction.update(row_version=5).where(Instruction.id == instruction.id).execute()
    response = api.post(f"/api/v1/instructions/{instruction.id}/acknowledge", token=token,
                        headers={"If-Match": "*"})
    assert response.status_code == 200 and response.headers["ETag"] == '"r6"'
