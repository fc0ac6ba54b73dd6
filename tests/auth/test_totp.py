"""TOTP secrets, code format and the replay-safe verification (unit level, on both databases)."""

import base64
import re

import pytest

from registry.auth import totp
from registry.models import User
from tests.factories import make_user, totp_secret

NOW = 1_795_000_000.0  # a fixed instant, in the middle of a 30-second step


def test_secret_is_160_bits_and_stored_encrypted(app):
    secret = totp.new_secret()
    assert len(base64.b32decode(secret)) * 8 == 160
    stored = totp.encrypt_secret(secret, app.config["TOTP_KEY"])
    assert secret not in stored
    assert totp.decrypt_secret(stored, app.config["TOTP_KEY"]) == secret
    with pytest.raises(ValueError):
        totp.decrypt_secret(stored, "another key entirely")


def test_provisioning_uri_names_issuer_and_email():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "ann@example.test")
    assert uri.startswith("otpauth://totp/dpa-registry:ann%40example.test?")
    assert "issuer=dpa-registry" in uri and "secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in uri


@pytest.mark.parametrize("code", [
    "１２３４５６",             # full-width digits (str.isdigit() says yes)
    "١٢٣٤٥٦",                  # Arabic-Indic digits
    "123 456", " 123456", "123456 ", "12345", "1234567", "12345a", "", "+12345",
    "1" * 10_000,
])
def test_only_six_ascii_digits_are_well_formed(code):
    assert not totp.is_well_formed(code)


def test_full_width_version_of_the_right_code_is_refused(app):
    user = make_user()
    secret = totp_secret(user)
    right = totp.code_at_step(secret, totp.current_step(NOW))
    full_width = right.translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    assert totp.verify(user.id, secret, full_width, now=NOW) == totp.INVALID
    assert totp.verify(user.id, secret, right, now=NOW) == totp.ACCEPTED


def test_same_code_twice_is_refused(app):
    user = make_user()
    secret = totp_secret(user)
    code = totp.code_at_step(secret, totp.current_step(NOW))
    assert totp.verify(user.id, secret, code, now=NOW) == totp.ACCEPTED
    assert totp.verify(user.id, secret, code, now=NOW) == totp.REPLAYED
    assert totp.verify(user.id, secret, code, now=NOW + 25) in {totp.REPLAYED, totp.INVALID}


def test_previous_step_accepted_once_two_back_and_two_ahead_refused(app):
    user = make_user()
    secret = totp_secret(user)
    step = totp.current_step(NOW)
    for offset in (-2, +2, +1):
        assert totp.verify(user.id, secret, totp.code_at_step(secret, step + offset),
                           now=NOW) == totp.INVALID, offset
    previous = totp.code_at_step(secret, step - 1)
    assert totp.verify(user.id, secret, previous, now=NOW) == totp.ACCEPTED
    assert totp.verify(user.id, secret, previous, now=NOW) == totp.REPLAYED
    assert User.get_by_id(user.id).totp_last_step == step - 1
    # The current step is later than the claimed one, so it still works - once.
    current = totp.code_at_step(secret, step)
    assert totp.verify(user.id, secret, current, now=NOW) == totp.ACCEPTED
    # After the current step was used, the previous one can never come back.
    assert totp.verify(user.id, secret, previous, now=NOW) == totp.REPLAYED


def test_qr_svg_is_inline_svg_without_scripts():
    svg = totp.qr_svg(totp.provisioning_uri(totp.new_secret(), "ann@example.test"))
    assert svg.startswith("<svg") and "<?xml" not in svg
    assert not re.search(r"<script|on\w+=|style=", svg)
