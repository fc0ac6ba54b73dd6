"""Extension objects, created unbound here and initialised by create_app.

Nothing else creates a database or an extension instance: every module imports these, so that
several apps (one per test) can be built in one process.
"""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf import CSRFProtect
from peewee import DatabaseProxy

database = DatabaseProxy()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
