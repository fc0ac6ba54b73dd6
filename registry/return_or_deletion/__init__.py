"""Return or deletion at the end of a contract (Art. 28(3)(g)): items, certificates, completion.

The routes live in `registry.return_or_deletion.views`, which the app factory imports: this
package is also imported by the engine's loader (`queries.load_return_or_deletion`), which must
not pull in views.
"""

from flask import Blueprint

blueprint = Blueprint("return_or_deletion", __name__, url_prefix="/return-or-deletion")
