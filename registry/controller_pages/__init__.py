"""Controllers as participants (GDPR Art. 28(2)): each controller's own page, reached through a
capability link, with its sub-processors, pending changes, instructions and breach notices;
objections and instruction confirmations made there, confirmed by e-mail; an Atom feed.

Links and confirmations are managed in `links` and `confirmations`; the routes, which need no
account, live in `views` (registered by the app factory).
"""

from flask import Blueprint

blueprint = Blueprint("controller_pages", __name__, url_prefix="/c")
