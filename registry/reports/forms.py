"""The form on the /reports page: which report, for which controller, as of which day."""

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Optional, ValidationError

from registry.models import Controller
from registry.reports.data import REPORTS

WHOLE_REGISTRY = ""


def _controller_choices():
    rows = (Controller.select(Controller.id, Controller.name, Controller.status)
            .order_by(Controller.name, Controller.id))
    ended = " (ended)"
    return [SelectChoice(WHOLE_REGISTRY, "Whole registry")] + [
        SelectChoice(str(row.id), row.name + (ended if row.status != "active" else ""))
        for row in rows
    ]


class ReportForm(FlaskForm):
    """Choose a report, its scope and its date (a GET form: it changes nothing, so no CSRF)."""

    class Meta:
        csrf = False

    kind = RadioField("Report",
                      choices=[SelectChoice(kind, spec.title) for kind, spec in REPORTS.items()],
                      validators=[DataRequired(message="Choose a report.")])
    # Checked by validate_controller_id (against the table, not the rendered list).
    controller_id = SelectField("Controller", validate_choice=False)
    today = DateField("As of", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.controller_id.choices = _controller_choices()

    def validate_controller_id(self, field):
        """Require a controller for per-controller reports, and an existing one."""
        chosen = self.chosen_controller_id()
        spec = REPORTS.get(self.kind.data)
        if spec is not None and spec.needs_controller and chosen is None:
            raise ValidationError(f"The {spec.title.lower()} is made for one controller: "
                                  "choose one.")
        if field.data and (chosen is None or not Controller.select().where(
                Controller.id == chosen).exists()):
            raise ValidationError("Choose a controller from the list.")

    def chosen_controller_id(self):
        """Return the chosen controller id, or None for the whole registry."""
        data = (self.controller_id.data or "").strip()
        return int(data) if data.isdigit() else None


class ReportJobForm(FlaskForm):
    """Ask for a whole-registry report to be made in the background (a POST: CSRF-checked)."""

    kind = HiddenField(validators=[AnyOf([kind for kind, spec in REPORTS.items()
                                          if not spec.needs_controller],
                                         message="Choose a whole-registry report.")])
    today = DateField("As of", validators=[Optional()])
