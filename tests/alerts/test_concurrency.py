"""Two runs at once (threads, each with its own connection) deliver every alert exactly once."""

import threading
from collections import Counter
from datetime import timedelta

from registry.alerts import operations
from registry.extensions import database
from registry.models import Alert
from tests.alerts.factories import FLOW_DOWN_SIGNED_ON, LAPSES_ON, make_lapsing_registry
from tests.registry_factories import make_attestation, make_subcontractor

RUNS = 3


def _more_subcontractors(count):
    for number in range(count):
        subcontractor = make_subcontractor(name=f"Toimittaja {number} Oy",
                                           contacts=[f"security@t{number}.example"],
                                           flow_down_signed_on=FLOW_DOWN_SIGNED_ON)
        make_attestation(subcontractor, "iso27001", valid_until=LAPSES_ON,
                         issued_on=LAPSES_ON - timedelta(days=730))


def _run_in_parallel(app):
    barrier = threading.Barrier(RUNS)
    errors = []

    def run():
        with app.app_context():
            database.connect(reuse_if_open=True)
            try:
                barrier.wait()
                operations.send_alerts()
            except Exception as error:  # surfaced by the assertion below
                errors.append(error)
            finally:
                database.close()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []


def test_parallel_runs_deliver_each_alert_exactly_once(app, smtp_server, travel):
    make_lapsing_registry()
    _more_subcontractors(8)
    travel(2026, 11, 25, 6, 0)
    _run_in_parallel(app)
    delivered = Counter(tuple(recipients) for recipients, _message, _auth in smtp_server.messages)
    assert len(delivered) == 10  # one digest and nine reminders
    assert set(delivered.values()) == {1}
    message_ids = Counter(message["Message-ID"] for _r, message, _a in smtp_server.messages)
    assert set(message_ids.values()) == {1}
    assert {alert.status for alert in Alert.select()} == {"sent"}
    assert Alert.select().count() == 1 + 9 * 2  # the DPA for legal; each ISO for both
    assert operations.send_alerts().sent == []
