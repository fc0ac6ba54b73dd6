"""The portal's pages: thin views that authorise through `access`, then read, call and render."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from registry import documents
from registry.attestations import explain, preview
from registry.auth.access import roles_required
from registry.clock import local_today
from registry.extensions import limiter
from registry.formatting import long_date
from registry.pending_uploads import FormUpload
from registry.portal import blueprint, forms, operations, queries
from registry.portal.access import current_subcontractor, get_own_attestation_or_404
from registry.portal.return_or_deletion import open_item_count

SUBCONTRACTOR = "subcontractor"


def _user():
    return current_user._get_current_object()


@blueprint.get("/")
@roles_required(SUBCONTRACTOR)
def show_portal():
    """Show the company's requirements, what to do next, and its latest uploads."""
    subcontractor = current_subcontractor()
    overview = queries.overview(subcontractor)
    return render_template("portal/home.html", subcontractor=subcontractor, overview=overview,
                           open_returns=open_item_count(subcontractor))


@blueprint.get("/attestations")
@roles_required(SUBCONTRACTOR)
def list_attestations():
    """List every upload of the company, newest first."""
    subcontractor = current_subcontractor()
    rows, page, pages = queries.history(subcontractor, request.args.get("page", 1, type=int))
    return render_template("portal/history.html", subcontractor=subcontractor, rows=rows,
                           page=page, pages=pages)


@blueprint.get("/attestations/<int:attestation_id>")
@roles_required(SUBCONTRACTOR)
def show_attestation(attestation_id):
    """Show one of the company's uploads and its review."""
    attestation = get_own_attestation_or_404(attestation_id)
    return render_template("portal/attestation.html", subcontractor=attestation.subcontractor,
                           attestation=attestation)


@blueprint.get("/attestations/<int:attestation_id>/document")
@roles_required(SUBCONTRACTOR)
def download_document(attestation_id):
    """Download the PDF of one of the company's uploads."""
    attestation = get_own_attestation_or_404(attestation_id)
    if attestation.document is None:
        abort(404)
    return documents.download_response(attestation.document)


def _choose_type(subcontractor, choices):
    overview = queries.overview(subcontractor)
    row = next((row for row in overview.rows if row.key == request.args.get("requirement")), None)
    return render_template("portal/choose_type.html", subcontractor=subcontractor,
                           choices=choices, requirement=row)


def _details(form):
    details = {"issuer": form.issuer.data.strip(), "reference": (form.reference.data or "").strip(),
               "scope": (form.scope.data or "").strip(), **form.dates()}
    if "standard_version" in form:
        details["standard_version"] = form.standard_version.data
    return details


@blueprint.route("/attestations/new", methods=["GET", "POST"])
@roles_required(SUBCONTRACTOR)
def new_attestation():
    """Upload a new certificate or report: choose its type, then enter its dates and the PDF."""
    subcontractor = current_subcontractor()
    choices = queries.upload_choices(subcontractor)
    code = request.args.get("type")
    if not code:
        return _choose_type(subcontractor, choices)
    kind = choices.find(code) or abort(404)
    form = forms.attestation_form(kind, local_today())
    upload = FormUpload(form, form.file)
    checked = upload.checked()
    if checked is not None:
        counts_until = form.counts_until()
        operations.submit_attestation(subcontractor, _user(), kind, _details(form), checked)
        upload.done()
        message = _("Thank you: your %(name)s is uploaded and awaiting review.", name=kind.name)
        if counts_until:
            message += " " + _("Once accepted, it counts until %(day)s.",
                               day=long_date(counts_until))
        flash(message, "success")
        return redirect(url_for(".show_portal"))
    status = 422 if request.method == "POST" else 200
    return render_template("portal/upload.html", subcontractor=subcontractor, form=form,
                           kind=kind, needed_for=choices.needed_for.get(kind.code, []),
                           rule=explain.validity_rule(kind)), status


@blueprint.get("/attestations/validity")
@roles_required(SUBCONTRACTOR)
@limiter.limit(preview.PREVIEW_LIMIT)
def preview_validity():
    """Return (JSON) until when an upload with the given type and dates would count."""
    subcontractor = current_subcontractor()
    kind = queries.upload_type(subcontractor, request.args.get("type", "")) or abort(404)
    return preview.preview_response(kind, request.args)


@blueprint.route("/contacts", methods=["GET", "POST"])
@roles_required(SUBCONTRACTOR)
def manage_contacts():
    """Show and add the addresses that receive the registry's reminders."""
    subcontractor = current_subcontractor()
    form = forms.ContactForm()
    if form.validate_on_submit():
        try:
            operations.add_contact(subcontractor, form.email.data, _user())
        except operations.ContactError as error:
            form.email.errors.append(str(error))
        else:
            flash(_("%(address)s now receives the reminders.", address=form.email.data), "success")
            return redirect(url_for(".manage_contacts"))
    status = 422 if request.method == "POST" else 200
    return render_template("portal/contacts.html", subcontractor=subcontractor, form=form,
                           remove_form=forms.RemoveContactForm()), status


@blueprint.post("/contacts/remove")
@roles_required(SUBCONTRACTOR)
def remove_contact():
    """Remove one address from the reminder list."""
    subcontractor = current_subcontractor()
    form = forms.RemoveContactForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        operations.remove_contact(subcontractor, form.email.data, _user())
    except operations.ContactError as error:
        flash(str(error), "error")
    else:
        flash(_("%(address)s no longer receives reminders.", address=form.email.data), "success")
    return redirect(url_for(".manage_contacts"))
