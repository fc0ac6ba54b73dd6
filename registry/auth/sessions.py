"""Server-side sessions: the cookie carries only a random id; everything else lives in UserSession.

Before the password step succeeds nothing is stored on the server: what a visitor's session
must remember (the login form's CSRF token, a flash message, where to go next) travels in the
same cookie, signed with SECRET_KEY, so that anonymous requests cannot fill the table. The
password step creates the row, bound to the user (a new id), and the second factor marks it
complete (another new id). Logout, a password change, an MFA reset or a deactivation set
`ended_at`, so an old cookie is worthless. Idle and absolute timeouts are checked on every
request.
"""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, session
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SessionInterface, SessionMixin
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import CallbackDict

from registry.clock import unix_now
from registry.models import Subcontractor, User, UserSession, utcnow

SERIALIZER = TaggedJSONSerializer()
TOUCH_EVERY = timedelta(seconds=60)
VISITOR_SALT = "registry.visitor-session"


def token_hash(token):
    """Return the SHA-256 hex digest under which a session id or link token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def cookies_are_secure(app):
    """Tell whether cookies get `Secure` (SECURE_COOKIES, else whether BASE_URL is https)."""
    configured = app.config.get("SECURE_COOKIES")
    if configured is not None:
        return bool(configured)
    return app.config["BASE_URL"].startswith("https://")


def cookie_name(app):
    """Return the session cookie's name: `__Host-` prefixed whenever it is Secure."""
    return "__Host-dpa_session" if cookies_are_secure(app) else "dpa_session"


class ServerSession(CallbackDict, SessionMixin):
    """Session data backed by one UserSession row (or none yet)."""

    def __init__(self, initial=None, row=None):
        def on_update(_data):
            self.modified = True

        super().__init__(initial, on_update)
        self.row = row
        self.new_token = None
        self.is_ended = False
        self.modified = False


def _expired(row, app, now):
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    absolute = timedelta(hours=app.config["SESSION_MAX_HOURS"])
    return now - row.last_seen_at > idle or now - row.created_at > absolute


def _load(token, app):
    row = UserSession.get_or_none(
        (UserSession.token_hash == token_hash(token)) & UserSession.ended_at.is_null()
    )
    if row is None:
        return None
    now = utcnow()
    if _expired(row, app, now):
        UserSession.update(ended_at=now).where(UserSession.id == row.id).execute()
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        UserSession.update(last_seen_at=now).where(UserSession.id == row.id).execute()
        row.last_seen_at = now
    return row


def _client_details():
    from flask import request

    return {
        "ip": (request.remote_addr or "")[:64],
        "user_agent": (request.user_agent.string or "")[:300],
    }


def _new_row(data, user=None, mfa_completed=False):
    token = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession.create(
        token_hash=token_hash(token),
        user=user,
        data=SERIALIZER.dumps(dict(data)),
        created_at=now,
        last_seen_at=now,
        mfa_completed_at=now if mfa_completed else None,
        **_client_details(),
    )
    return row, token


def _purge_abandoned(app):
    # Rows without a user are no longer created; this clears any an older version left.
    cutoff = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    UserSession.delete().where(
        UserSession.user.is_null() & (UserSession.last_seen_at < cutoff)
    ).execute()


def _visitor_serializer(app):
    return URLSafeSerializer(app.secret_key, salt=VISITOR_SALT, serializer=SERIALIZER)


def is_visitor_cookie(value):
    """Tell whether a cookie value is a signed visitor session (a session id has no dot)."""
    return "." in value


def _dump_visitor(data, app):
    return _visitor_serializer(app).dumps({"at": int(unix_now()), "data": dict(data)})


def _load_visitor(value, app):
    """Return a visitor's session data from the cookie, or None if forged or idle too long."""
    try:
        payload = _visitor_serializer(app).loads(value)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        return None
    age = unix_now() - payload.get("at", 0)
    if not 0 <= age <= app.config["SESSION_IDLE_MINUTES"] * 60:
        return None
    return payload["data"]


class DatabaseSessionInterface(SessionInterface):
    """Keep Flask's `session` in the UserSession table, keyed by the hash of the cookie."""

    def open_session(self, app, request):
        """Load the row named by the cookie (or a visitor's signed data), unless timed out."""
        if request.path.startswith(f"{app.static_url_path}/"):
            return ServerSession()  # stylesheets and scripts need no session, and no query
        token = request.cookies.get(cookie_name(app))
        if token and is_visitor_cookie(token):
            return ServerSession(_load_visitor(token, app))
        row = _load(token, app) if token else None
        if row is None:
            return ServerSession()
        return ServerSession(SERIALIZER.loads(row.data), row=row)

    def save_session(self, app, session_, response):
        """Store changed data, and set or delete the cookie when the session id changed."""
        name = cookie_name(app)
        secure = cookies_are_secure(app)
        response.vary.add("Cookie")
        if session_.row is None:
            if not session_:
                if session_.is_ended or session_.modified:
                    response.delete_cookie(name, path="/", secure=secure, httponly=True,
                                           samesite="Lax")
                return
            if session_.modified:
                response.set_cookie(name, _dump_visitor(session_, app), path="/",
                                    secure=secure, httponly=True, samesite="Lax")
            return
        if session_.modified:
            UserSession.update(data=SERIALIZER.dumps(dict(session_))).where(
                UserSession.id == session_.row.id
            ).execute()
        if session_.new_token:
            response.set_cookie(
                name, session_.new_token, path="/", secure=secure, httponly=True, samesite="Lax"
            )


def begin(user, mfa_completed, keep=()):
    """Replace the current session with a new id bound to `user`; keep only the `keep` keys."""
    kept = {key: session[key] for key in keep if key in session}
    if session.row is not None:
        UserSession.update(ended_at=utcnow()).where(UserSession.id == session.row.id).execute()
    _purge_abandoned(current_app)
    session.clear()
    session.update(kept)
    session.row, session.new_token = _new_row(kept, user=user, mfa_completed=mfa_completed)
    session.modified = False


def end_current():
    """End the current session: its row is closed and the cookie deleted."""
    if session.row is not None:
        UserSession.update(ended_at=utcnow()).where(UserSession.id == session.row.id).execute()
    session.clear()
    session.row = None
    session.is_ended = True


def may_sign_in(user):
    """Tell whether an account may sign in: active, and not of an offboarded subcontractor."""
    if not user.is_active:
        return False
    if user.subcontractor_id is None:
        return True
    status = (Subcontractor.select(Subcontractor.status)
              .where(Subcontractor.id == user.subcontractor_id)
              .scalar())
    return status != "offboarded"


def end_company_sessions(subcontractor_id):
    """End every open session of the users of a subcontractor; return how many ended."""
    users = User.select(User.id).where(User.subcontractor == subcontractor_id)
    return (UserSession.update(ended_at=utcnow())
            .where(UserSession.user.in_(users) & UserSession.ended_at.is_null())
            .execute())


def end_all(user_id, keep_row_id=None):
    """End every open session of a user (except `keep_row_id`); return how many ended."""
    query = UserSession.update(ended_at=utcnow()).where(
        (UserSession.user == user_id) & UserSession.ended_at.is_null()
    )
    if keep_row_id is not None:
        query = query.where(UserSession.id != keep_row_id)
    return query.execute()


def _session_user(mfa_completed):
    row = getattr(session, "row", None)
    if row is None or row.user_id is None:
        return None
    if (row.mfa_completed_at is not None) != mfa_completed:
        return None
    user = User.get_or_none(User.id == row.user_id)
    return user if user is not None and may_sign_in(user) else None


def signed_in_user():
    """Return the user who completed both factors in this session, else None."""
    return _session_user(mfa_completed=True)


def pending_user():
    """Return the user who passed only the password step in this session, else None."""
    return _session_user(mfa_completed=False)


def current_row_id():
    """Return the id of the current session's row (None before anything was stored)."""
    row = getattr(session, "row", None)
    return row.id if row is not None else None


def open_sessions(user):
    """Return the user's signed-in sessions that have neither ended nor timed out, newest first."""
    now = utcnow()
    idle_cutoff = now - timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"])
    absolute_cutoff = now - timedelta(hours=current_app.config["SESSION_MAX_HOURS"])
    return list(
        UserSession.select()
        .where(
            (UserSession.user == user)
            & UserSession.ended_at.is_null()
            & UserSession.mfa_completed_at.is_null(False)
            & (UserSession.last_seen_at >= idle_cutoff)
            & (UserSession.created_at >= absolute_cutoff)
        )
        .order_by(UserSession.last_seen_at.desc())
    )


def purge_expired(app):
    """Delete the sessions that ended or timed out (idle or absolute); return how many.

    Such a row can never be used again (`_load` refuses it), so nothing is lost; run hourly by
    the worker and by `dpa-registry sessions purge`, it keeps the table the size of the
    sessions really open.
    """
    now = utcnow()
    idle_cutoff = now - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"])
    absolute_cutoff = now - timedelta(hours=app.config["SESSION_MAX_HOURS"])
    return (UserSession.delete()
            .where(UserSession.ended_at.is_null(False)
                   | (UserSession.last_seen_at < idle_cutoff)
                   | (UserSession.created_at < absolute_cutoff))
            .execute())
