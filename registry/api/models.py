"""The personal API token table (registry.api.tokens creates, checks and revokes the rows)."""

from peewee import CharField, ForeignKeyField

from registry.fields import DateTimeField
from registry.models import TableModel, User, one_of, utcnow

TOKEN_SCOPES = ("read", "write")


class ApiToken(TableModel):
    """A personal API token: its owner, scope and lifetime; never the secret itself.

    `prefix` (public, shown in lists) finds the row; `secret_hash` is the SHA-256 of the whole
    token, compared in constant time. The engine never reads the table: no revision triggers.
    """

    user = ForeignKeyField(User, backref="api_tokens", on_delete="RESTRICT")
    name = CharField(max_length=100)
    scope = CharField(max_length=5, constraints=[one_of("scope", TOKEN_SCOPES)])
    prefix = CharField(max_length=16, unique=True)
    secret_hash = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    last_used_at = DateTimeField(null=True)
    last_used_ip = CharField(max_length=64, default="")
    revoked_at = DateTimeField(null=True)

    @property
    def is_revoked(self):
        return self.revoked_at is not None
