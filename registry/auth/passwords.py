"""Password hashing (argon2id) and the password policy: length, common passwords, context words.

No composition rules (NIST SP 800-63B): long enough, not common, not the user's own name and not
the name of the service or the company (ASVS 6.2.11). The password is hashed exactly as typed;
nothing is trimmed, folded or truncated.
"""

import contextlib
import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH = 12
MAX_LENGTH = 256
# zxcvbn's cost grows with the length; past this a password is long enough not to need it.
ZXCVBN_PREFIX = 64
MIN_ZXCVBN_SCORE = 3
# Words of the service every password here would be tempted to contain.
CONTEXT_WORDS = ("dpa", "registry")
# Shorter words of a configured name (Oy, Ltd, Inc) are too common inside unrelated words.
MIN_CONTEXT_WORD = 4

PROFILES = {
    # OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1.
    "owasp": {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1},
    # Tests only: the cheapest parameters argon2 accepts.
    "fast": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
}


@cache
def hasher(profile="owasp"):
    """Return the argon2id hasher of a profile ('owasp' or 'fast')."""
    try:
        return PasswordHasher(**PROFILES[profile])
    except KeyError:
        raise ValueError(f"unknown PASSWORD_HASH_PROFILE {profile!r}") from None


@cache
def _dummy_hash(profile):
    return hasher(profile).hash("not a password of anyone, used to spend the same time")


def hash_password(password, profile="owasp"):
    """Return the argon2id hash of `password`."""
    return hasher(profile).hash(password)


def verify_password(password_hash, password, profile="owasp"):
    """Tell whether `password` matches; with no hash, spend the same time and say no."""
    if not password_hash:
        with contextlib.suppress(VerificationError):
            hasher(profile).verify(_dummy_hash(profile), password)
        return False
    try:
        return hasher(profile).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _common_passwords():
    return frozenset(FREQUENCY_LISTS["passwords"])


def _email_names(email):
    local = (email or "").split("@", 1)[0].lower()
    names = {part for part in re.split(r"[._+\-]+", local) if len(part) >= 4}
    if len(local) >= 3:
        names.add(local)
    return names


def context_words(*names):
    """Return the words a password may not contain: CONTEXT_WORDS and those of `names`."""
    words = set(CONTEXT_WORDS)
    for name in names:
        parts = re.split(r"[\W_]+", (name or "").lower())
        words.update(part for part in parts if len(part) >= MIN_CONTEXT_WORD)
    return sorted(words)


def policy_problems(password, email="", context=()):
    """Return the reasons `password` is refused for the owner of `email` (empty when fine).

    `context` holds the words of the service's and company's names (see `context_words`).
    """
    if len(password) < MIN_LENGTH:
        return [_("Use at least %(num)d characters.", num=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("Use at most %(num)d characters.", num=MAX_LENGTH)]
    lowered = password.lower()
    if lowered in _common_passwords():
        return [_("This is a commonly used password. Choose another one.")]
    if any(name in lowered for name in _email_names(email)):
        return [_("Do not use your e-mail name in your password.")]
    found = next((word for word in context if word in lowered), None)
    if found:
        return [_("Do not use “%(word)s” in your password: it is part of the name of this "
                  "service or company.", word=found)]
    inputs = sorted(_email_names(email) | set(context))
    result = zxcvbn(password[:ZXCVBN_PREFIX], user_inputs=inputs)
    if result["score"] < MIN_ZXCVBN_SCORE:
        return [_("This password is easy to guess. Try a longer phrase of unrelated words.")]
    return []
