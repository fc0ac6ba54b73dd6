"""peewee's date fields, with a fast path for the ISO text SQLite stores.

SQLite has no date type: peewee stores a date as `YYYY-MM-DD` text and converts it back with
`strptime`, trying its formats in turn. Loading the registry for the compliance engine converts a
few hundred thousand such values, and `strptime` was the largest single cost of the check. The
text peewee writes is exactly what `date.fromisoformat` and `datetime.fromisoformat` read (in C);
anything else goes through peewee's own conversion unchanged. PostgreSQL returns `date` and
`datetime` objects, which pass through untouched.
"""

from datetime import date, datetime

import peewee


class DateField(peewee.DateField):
    """A date column (`*_on`)."""

    def python_value(self, value):
        if type(value) is str and len(value) == 10:
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        return super().python_value(value)


class DateTimeField(peewee.DateTimeField):
    """A naive UTC instant (`*_at`)."""

    def python_value(self, value):
        if type(value) is str:
            try:
                instant = datetime.fromisoformat(value)
            except ValueError:
                return super().python_value(value)
            if instant.tzinfo is None:
                return instant
        return super().python_value(value)
