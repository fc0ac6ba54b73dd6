"""The Finnish business ID (Y-tunnus) check digit and its plain-English errors."""

import pytest

from registry.business_id import is_valid_y_tunnus, normalise_y_tunnus, y_tunnus_error


@pytest.mark.parametrize("value", ["0112038-9", "1572860-0", " 0112038-9 ", "112038-9"])
def test_valid_business_ids(value):
    assert is_valid_y_tunnus(value)
    assert y_tunnus_error(value) is None


def test_a_wrong_check_digit_names_the_right_one():
    assert not is_valid_y_tunnus("0737546-1")
    assert y_tunnus_error("0737546-1") == "check digit should be 2"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "01120389",
        "0112038-",
        "0112038-99",
        "011203-89",
        "FI01120389",
        "abcdefg-h",
        "\uff10\uff11\uff11\uff12\uff10\uff13\uff18-\uff19",
    ],  # full-width digits
)
def test_malformed_values_must_look_like_the_format(value):
    assert y_tunnus_error(value) == "must look like 1234567-8"
    assert not is_valid_y_tunnus(value)


def test_a_number_whose_remainder_is_one_can_never_be_valid():
    digits = "1001000"  # 1*7 + 1*5 = 12, remainder 1
    assert sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11 == 1
    for check in "0123456789":
        error = y_tunnus_error(f"{digits}-{check}")
        assert error is not None and "no check digit" in error


def test_old_six_digit_ids_are_left_padded():
    assert normalise_y_tunnus("112038-9") == "0112038-9"
    assert normalise_y_tunnus(" 0112038-9\n") == "0112038-9"
    assert normalise_y_tunnus("12345") == "12345"
