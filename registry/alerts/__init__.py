"""Expiry alerts by e-mail: planned from the compliance findings, claimed once, sent after commit.

`planner` decides what is due (pure), `operations` claims and sends it, `cli` and
`registry.tasks` run it, `views` lists it at /alerts.
"""

from flask import Blueprint

blueprint = Blueprint("alerts", __name__, url_prefix="/alerts")

from registry.alerts import views  # noqa: E402,F401 - registers the routes
