"""The error backup and restore raise for anything an operator can fix."""


class BackupError(Exception):
    """A backup or restore could not be done; the message says why and what to do."""
