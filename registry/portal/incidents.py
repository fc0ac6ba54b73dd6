"""Reporting a personal-data breach from the portal: the report starts the processor's clock.

A subcontractor reports here what it knows; the processor is aware from the moment the report
arrives, every controller whose data the company processes gets a notice deadline from then, and
legal staff are e-mailed (by the worker). The company sees its own reports only, never the
controllers concerned.
"""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.access import roles_required
from registry.checks import current_snapshot
from registry.clock import utc_now
from registry.incidents import delivery, operations, queries
from registry.incidents.forms import BreachReportForm, with_time_hints
from registry.listing import paginate
from registry.portal import blueprint
from registry.portal.access import current_subcontractor, get_own_incident_or_404, own_incidents

SUBCONTRACTOR = "subcontractor"
PER_PAGE = 20


@blueprint.get("/incidents")
@roles_required(SUBCONTRACTOR)
def list_incidents():
    """List the breaches the company reported, newest first."""
    subcontractor = current_subcontractor()
    rows, page, pages = paginate(list(own_incidents(subcontractor)),
                                 request.args.get("page", 1, type=int), PER_PAGE)
    return render_template("portal/incidents.html", subcontractor=subcontractor, rows=rows,
                           page=page, pages=pages)


@blueprint.route("/incidents/new", methods=["GET", "POST"])
@roles_required(SUBCONTRACTOR)
def report_incident():
    """Report a personal-data breach to the processor."""
    subcontractor = current_subcontractor()
    form = with_time_hints(BreachReportForm(), current_app.config["TIMEZONE"])
    if form.validate_on_submit():
        now = utc_now().astimezone(queries.registry_zone())
        snapshot = current_snapshot()
        rules = operations.DeadlineRules(
            facts=snapshot.facts, zone=queries.registry_zone(),
            default_hours=current_app.config["BREACH_NOTICE_DEFAULT_HOURS"])
        incident = operations.report_incident(
            subcontractor, form.values(),
            queries.controllers_processed_by(subcontractor.id, snapshot), rules,
            current_user._get_current_object(), now)
        delivery.enqueue_staff_alert(incident.id)
        reached_at = now.strftime("%Y-%m-%d %H:%M %Z")
        flash(_("Thank you: your report %(reference)s reached us at %(when)s. We may contact "
                "you for more information.", reference=incident.reference, when=reached_at),
              "success")
        return redirect(url_for(".show_incident", incident_id=incident.id))
    status = 422 if request.method == "POST" else 200
    return render_template("portal/report_incident.html", subcontractor=subcontractor,
                           form=form), status


@blueprint.get("/incidents/<int:incident_id>")
@roles_required(SUBCONTRACTOR)
def show_incident(incident_id):
    """Show one of the company's reports as it reached the processor."""
    incident = get_own_incident_or_404(incident_id)
    return render_template("portal/incident.html", subcontractor=current_subcontractor(),
                           incident=incident)
