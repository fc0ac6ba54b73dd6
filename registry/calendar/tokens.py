"""Feed links: a user's token, stored as its SHA-256 only, revocable, one at a time.

The token is the whole credential of a public route, so it is long (256 bits, URL-safe), shown
once, and found by its hash. A new link revokes the user's previous one.
"""

import hashlib
import secrets
from datetime import timedelta

from registry import audit
from registry.calendar.models import CalendarFeed
from registry.db import write_transaction
from registry.models import User, utcnow

LAST_USED_PRECISION = timedelta(hours=1)  # a feed read every few minutes writes once an hour


def token_hash(token):
    """Return the SHA-256 (hex) a token is stored and found by."""
    return hashlib.sha256(token.encode()).hexdigest()


def active_feed(user):
    """Return the user's feed link that is not revoked, or None."""
    return (CalendarFeed.select()
            .where((CalendarFeed.user == user) & CalendarFeed.revoked_at.is_null())
            .order_by(CalendarFeed.id.desc())
            .first())


def _revoke_all(user):
    return CalendarFeed.update(revoked_at=utcnow()).where(
        (CalendarFeed.user == user) & CalendarFeed.revoked_at.is_null()).execute()


def create_feed(user):
    """Make a new feed link for `user` (revoking the previous one); return its token."""
    token = secrets.token_urlsafe(32)
    with write_transaction():
        replaced = _revoke_all(user)
        feed = CalendarFeed.create(user=user, token_hash=token_hash(token))
        audit.record("calendar.feed_created", feed,
                     "Calendar feed link created" + (", the previous one revoked"
                                                     if replaced else ""),
                     {"replaced": replaced}, actor=user)
    return token


def revoke_feed(user):
    """Revoke the user's feed link; return whether there was one."""
    with write_transaction():
        revoked = _revoke_all(user)
        if revoked:
            audit.record("calendar.feed_revoked", ("user", user.id), "Calendar feed link revoked",
                         actor=user)
    return bool(revoked)


def user_of(token):
    """Return the active user whose live feed link `token` is, or None (recording its use)."""
    feed = (CalendarFeed.select(CalendarFeed, User)
            .join(User)
            .where((CalendarFeed.token_hash == token_hash(token))
                   & CalendarFeed.revoked_at.is_null())
            .first())
    if feed is None or not feed.user.is_active:
        return None
    now = utcnow()
    if feed.last_used_at is None or now - feed.last_used_at >= LAST_USED_PRECISION:
        with write_transaction():
            CalendarFeed.update(last_used_at=now).where(CalendarFeed.id == feed.id).execute()
    return feed.user
