"""The Finnish business ID (Y-tunnus): format `1234567-8` with a weighted check digit."""

import re

# [0-9], not \d: \d also accepts other scripts' digits, such as full-width ones.
Y_TUNNUS_PATTERN = re.compile(r"[0-9]{7}-[0-9]")
OLD_Y_TUNNUS_PATTERN = re.compile(r"[0-9]{6}-[0-9]")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def normalise_y_tunnus(value: str) -> str:
    """Return `value` without surrounding spaces, an old 6-digit ID padded with a leading 0."""
    value = value.strip()
    if OLD_Y_TUNNUS_PATTERN.fullmatch(value):
        return "0" + value
    return value


def _check_digit(digits: str) -> int | None:
    remainder = sum(int(digit) * weight for digit, weight in zip(digits, WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return 0
    if remainder == 1:
        return None  # no valid check digit exists, so no such ID is ever issued
    return 11 - remainder


def y_tunnus_error(value: str) -> str | None:
    """Return why `value` is not a valid Y-tunnus, in plain English, or None when it is valid."""
    value = normalise_y_tunnus(value)
    if not Y_TUNNUS_PATTERN.fullmatch(value):
        return "must look like 1234567-8"
    digits, given = value[:7], int(value[8])
    expected = _check_digit(digits)
    if expected is None:
        return f"{digits} cannot be a business ID: no check digit fits it"
    if given != expected:
        return f"check digit should be {expected}"
    return None


def is_valid_y_tunnus(value: str) -> bool:
    """Return whether `value` is a Y-tunnus with a correct check digit."""
    return y_tunnus_error(value) is None
