"""Import and export in the `dpa-registry/1` interchange format (JSON, spreadsheets, CSV).

The blueprint serves the Import page, the template download and the JSON export.
"""

from flask import Blueprint

blueprint = Blueprint("interchange", __name__)

from registry.interchange import views  # noqa: E402,F401 - registers the routes
