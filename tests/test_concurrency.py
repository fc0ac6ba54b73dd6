"""WorkGate: slow work is refused at once, per user (429) and per process (503), never queued."""

import pytest

from registry.concurrency import REPORT, Saturated, WorkGate


def test_a_user_gets_their_share_and_is_refused_beyond_it_with_429():
    gate = WorkGate(REPORT, limit=3, per_user=1)
    with gate.slot("user:1"):
        with pytest.raises(Saturated) as refused, gate.slot("user:1"):
            pass
        assert refused.value.status == 429
        assert refused.value.message == ("You already have one report being made, the most "
                                         "at once; wait for it to finish and try again.")
        with gate.slot("user:2"):
            assert gate.running() == 2


def test_a_full_process_refuses_other_users_with_503():
    gate = WorkGate(REPORT, limit=2, per_user=2)
    with gate.slot("user:1"), gate.slot("user:2"), pytest.raises(Saturated) as refused, \
            gate.slot("user:3"):
        pass
    assert refused.value.status == 503
    assert refused.value.message == ("The server is busy: 2 reports of other users are being "
                                     "made already. Please try again in 30 seconds.")


def test_a_slot_is_given_back_when_the_work_fails():
    gate = WorkGate(REPORT, limit=1, per_user=1)
    with pytest.raises(RuntimeError), gate.slot("user:1"):
        raise RuntimeError("typesetting failed")
    assert gate.running() == 0
    with gate.slot("user:1"):
        assert gate.running() == 1
