"""The admins' webhook pages (/admin/webhooks): endpoints, their delivery logs, actions."""

from flask import (
    Blueprint,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from registry.auth.access import roles_required
from registry.lookup import get_or_404
from registry.models import utcnow
from registry.webhooks import operations, queries
from registry.webhooks.addresses import UnsafeDestination
from registry.webhooks.events import EVENT_TYPES
from registry.webhooks.forms import EndpointForm
from registry.webhooks.models import DELIVERY_STATUSES, WebhookEndpoint

blueprint = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")


def _actor():
    return current_user._get_current_object()


def _show_secret(endpoint, secret, created):
    """The one page that shows a secret: answered to the POST itself, never stored to redirect."""
    response = make_response(render_template("webhooks/secret.html", endpoint=endpoint,
                                              secret=secret, created=created))
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.get("")
@roles_required("admin")
def list_endpoints():
    """List the registered endpoints with their waiting and failed deliveries."""
    return render_template("webhooks/list.html", endpoints=queries.endpoints_with_counts())


@blueprint.route("/new", methods=["GET", "POST"])
@roles_required("admin")
def new_endpoint():
    """Register an endpoint; its secret is shown once."""
    form = EndpointForm()
    if form.validate_on_submit():
        try:
            endpoint, secret = operations.create_endpoint(
                form.url.data, form.description.data, form.events.data, _actor())
        except UnsafeDestination as error:
            form.url.errors.append(str(error))
        else:
            return _show_secret(endpoint, secret, created=True)
    return render_template("webhooks/form.html", form=form, endpoint=None,
                           event_types=EVENT_TYPES), (
        400 if form.errors else 200)


@blueprint.get("/<int:endpoint_id>")
@roles_required("admin")
def show_endpoint(endpoint_id):
    """Show an endpoint, its actions and its delivery log (newest first)."""
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    status = request.args.get("status")
    status = status if status in DELIVERY_STATUSES else None
    deliveries, total, page, pages = queries.delivery_page(
        endpoint, status, request.args.get("page", 1, type=int) or 1)
    return render_template("webhooks/show.html", endpoint=endpoint, deliveries=deliveries,
                           total=total, page=page, pages=pages, status=status, now=utcnow())


@blueprint.route("/<int:endpoint_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def edit_endpoint(endpoint_id):
    """Change an endpoint's URL, description and events."""
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    form = EndpointForm(obj=endpoint)
    if form.validate_on_submit():
        try:
            changed = operations.update_endpoint(endpoint, form.url.data, form.description.data,
                                                 form.events.data, _actor())
        except UnsafeDestination as error:
            form.url.errors.append(str(error))
        else:
            flash(_("Endpoint saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for(".show_endpoint", endpoint_id=endpoint.id))
    return render_template("webhooks/form.html", form=form, endpoint=endpoint,
                           event_types=EVENT_TYPES), (
        400 if form.errors else 200)


@blueprint.post("/<int:endpoint_id>/enable")
@roles_required("admin")
def enable_endpoint(endpoint_id):
    """Enable an endpoint: it receives new events, and its waiting deliveries go out."""
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    operations.set_enabled(endpoint, True, _actor())
    flash(_("Endpoint enabled."), "success")
    return redirect(url_for(".show_endpoint", endpoint_id=endpoint.id))


@blueprint.post("/<int:endpoint_id>/disable")
@roles_required("admin")
def disable_endpoint(endpoint_id):
    """Disable an endpoint: no new events; its waiting deliveries wait."""
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    operations.set_enabled(endpoint, False, _actor())
    flash(_("Endpoint disabled: it receives no new events until it is enabled again."),
          "success")
    return redirect(url_for(".show_endpoint", endpoint_id=endpoint.id))


@blueprint.post("/<int:endpoint_id>/delete")
@roles_required("admin")
def delete_endpoint(endpoint_id):
    """Delete an endpoint with its delivery log (the confirmation is on the page)."""
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    operations.delete_endpoint(endpoint, _actor())
    flash(_("Endpoint %(url)s deleted.", url=endpoint.url), "success")
    return redirect(url_for(".list_endpoints"))


@blueprint.post("/<int:endpoint_id>/rotate")
@roles_required("admin")
def rotate_secret(endpoint_id):
    """Replace the endpoint's signing secret; the new one is shown once. The old one keeps
    signing beside it for a day unless the form asks to stop it at once (it leaked)."""
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    overlap = request.form.get("old_secret") != "stop"
    secret = operations.rotate_secret(endpoint, _actor(), overlap=overlap)
    return _show_secret(WebhookEndpoint.get_by_id(endpoint.id), secret, created=False)


@blueprint.post("/<int:endpoint_id>/test")
@roles_required("admin")
def send_test_event(endpoint_id):
    """Queue a `webhook.test` event for this endpoint."""
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    if not endpoint.is_enabled:
        flash(_("Enable the endpoint first: a disabled endpoint receives nothing."), "error")
    else:
        operations.send_test_event(endpoint, _actor())
        flash(_("A test event is on its way; its delivery appears in the log below."),
              "success")
    return redirect(url_for(".show_endpoint", endpoint_id=endpoint.id))
