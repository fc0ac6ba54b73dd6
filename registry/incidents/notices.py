"""The breach notice e-mail to a controller's privacy contacts (built here, sent by `delivery`).

It carries what the controller needs for its own notification to the supervisory authority
(Art. 33(3)(a)-(d)): the nature of the breach with the categories and approximate numbers of
people and records, the contact point, the likely consequences and the measures, and when the
processor became aware. A follow-up (Art. 33(4)) repeats the facts as they now stand under what
is new.
"""

from flask_babel import lazy_gettext as _l

from registry.controller_pages.links import mail_url as controller_page_url
from registry.i18n import company_language
from registry.incidents.queries import aware
from registry.mail import compose, external_url


def subject_line(message, incident, controller, follow_up_number=None):
    """Return the e-mail's subject: the first notice or the numbered follow-up."""
    if message.kind == "follow_up" and follow_up_number:
        return _l("Update %(number)s: personal data breach %(reference)s affecting %(name)s",
                  number=follow_up_number, reference=incident.reference, name=controller.name)
    if message.kind == "follow_up":
        return _l("Update: personal data breach %(reference)s affecting %(name)s",
                  reference=incident.reference, name=controller.name)
    return _l("Personal data breach %(reference)s affecting %(name)s",
              reference=incident.reference, name=controller.name)


def message_for(message, notice, incident, controller, settings, follow_up_number=None):
    """Return the EmailMessage of one notice e-mail (stable Message-ID: sending it again after a
    failure is recognisable as the same message)."""
    return compose(
        list(message.recipients),
        subject_line(message, incident, controller, follow_up_number),
        "incidents/notice",
        message_id=f"incident-{incident.id}-message-{message.id}",
        language=company_language(controller), settings=settings,
        message=message, incident=incident, controller=controller, notice=notice,
        follow_up_number=follow_up_number,
        processor_name=settings["processor_name"] or "your processor",
        processor_contact=settings["processor_contact"],
        aware_at=aware(incident.aware_at),
        reporter=incident.subcontractor.name if incident.detected_by == "subcontractor" else None,
        page_link=controller_page_url(controller.id),
    )


def staff_alert_for(incident, notices, recipients):
    """Return the e-mail telling legal staff of a subcontractor's report and its deadlines."""
    return compose(
        recipients,
        _l("%(name)s reported a personal data breach: %(reference)s",
           name=incident.subcontractor.name, reference=incident.reference),
        "incidents/reported", message_id=f"incident-{incident.id}-reported",
        incident=incident, notices=[(notice, aware(notice.due_at)) for notice in notices],
        aware_at=aware(incident.aware_at),
        subcontractor_aware_at=aware(incident.subcontractor_aware_at),
        link=external_url("incidents.show_incident", incident_id=incident.id),
    )
