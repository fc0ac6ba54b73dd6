"""Personal iCalendar feeds of the dates a user can see (docs/webhooks.md, "Calendar feed")."""
