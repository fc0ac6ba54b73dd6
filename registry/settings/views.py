"""The admin's settings page: the processor's name, contact details and security measures."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from registry.auth.access import roles_required
from registry.settings import blueprint
from registry.settings.forms import SettingsForm
from registry.settings.operations import save_settings
from registry.settings.store import SETTINGS, load_settings


@blueprint.route("", methods=["GET", "POST"])
@roles_required("admin")
def edit_settings():
    """Show and save the processor's details that reports print."""
    form = SettingsForm(data=load_settings())
    if form.validate_on_submit():
        changed = save_settings({spec.key: form[spec.key].data or "" for spec in SETTINGS})
        flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
        return redirect(url_for("settings.edit_settings"))
    return render_template("settings/edit.html", form=form, settings=SETTINGS), (
        400 if form.errors else 200)
