"""The calendar feed table: one personal feed link per user, stored as a hash of its token."""

from peewee import CharField, DateTimeField, ForeignKeyField

from registry.models import TableModel, User, utcnow


class CalendarFeed(TableModel):
    """A user's feed link. The token is the credential: only its SHA-256 is stored."""

    user = ForeignKeyField(User, backref="calendar_feeds", on_delete="CASCADE")
    token_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    class Meta:
        table_name = "calendar_feed"


MODELS = (CalendarFeed,)
