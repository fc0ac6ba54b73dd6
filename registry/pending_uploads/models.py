"""The pending-upload table: a checked PDF kept while its form is corrected."""

from peewee import BlobField, CharField, ForeignKeyField, IntegerField

from registry.fields import DateTimeField
from registry.models import TableModel, User, utcnow


class PendingUpload(TableModel):
    """A PDF that passed the upload checks on a form that failed on another field.

    It waits in the database (not on one web host's disk) for the same user's next try of the
    form, which names it by `token` in a hidden field. Transient: deleted when the form
    succeeds, a day after it was kept (`registry.pending_uploads.store.MAX_AGE`), or with its
    user. The engine never reads it, so it has no revision triggers.
    """

    token = CharField(max_length=64, unique=True)
    owner = ForeignKeyField(User, backref="pending_uploads", on_delete="CASCADE")
    filename = CharField(max_length=200)
    content = BlobField()
    size = IntegerField()
    page_count = IntegerField()
    sha256 = CharField(max_length=64)
    kept_at = DateTimeField(default=utcnow, index=True)
