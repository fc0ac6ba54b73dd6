"""Single sign-on for staff with OpenID Connect (issue 21): one provider, REGISTRY_OIDC_* settings.

Off while REGISTRY_OIDC_ISSUER is unset: the routes then answer 404 and the login page shows no
button. See docs/sso.md for the flow, the settings and a provider's configuration.
"""

from flask import Blueprint, current_app

from registry.sso import settings as oidc_settings

blueprint = Blueprint("sso", __name__, url_prefix="/auth/oidc")


def current_settings():
    """Return this app's OidcSettings, or None when single sign-on is off."""
    return current_app.extensions.get("oidc")


def init_app(app):
    """Check the settings (a ConfigError stops the start) and register the routes."""
    app.extensions["oidc"] = oidc_settings.load(app.config)
    app.register_blueprint(blueprint)

    @app.context_processor
    def single_sign_on():
        settings = app.extensions["oidc"]
        return {"sso_provider_name": settings.provider_name if settings else None}


from registry.sso import views  # noqa: E402,F401 - routes
