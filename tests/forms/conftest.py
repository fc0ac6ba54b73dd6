"""The portal's two companies (A signed in) serve the form tests too."""

from tests.portal.conftest import tenant_a, world  # noqa: F401 (fixtures)
