"""The errors `registry.mail.send` raises: temporary ones are retried, permanent ones are not."""


class MailError(Exception):
    """A message could not be built or delivered; `code` is the SMTP reply code when known."""

    def __init__(self, message, code=None, refused=None):
        super().__init__(message)
        self.code = code
        self.refused = dict(refused or {})


class TemporaryMailError(MailError):
    """Delivery may work later: connection refused, timeout, a 4xx reply or a login problem."""

    def __init__(self, message, code=None, refused=None, unreachable=False):
        super().__init__(message, code=code, refused=refused)
        self.unreachable = unreachable


class PermanentMailError(MailError):
    """Delivery will not work as it is: a 5xx reply, a refused recipient or an invalid header."""
