"""The receiver example in docs/webhooks.md verifies the registry's signatures (no database)."""

import re
import time
from pathlib import Path

from registry.webhooks.signing import signature_header

DOC = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def _verify_function(secret):
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S).group(1)
    namespace = {}
    exec(code.replace('SECRET = "whsec_…"', f"SECRET = {secret!r}"), namespace)  # noqa: S102
    return namespace["verify"]


def test_the_documented_check_accepts_a_registry_signature_and_refuses_others():
    secret = "whsec_documented-example"
    verify = _verify_function(secret)
    body = b'{"id":"x","type":"webhook.test"}'
    now = time.time()
    header = signature_header([secret], now, body)
    assert verify(header, body)
    assert verify(signature_header(["whsec_new", secret], now, body), body), "in an overlap"
    assert verify(signature_header([secret, "whsec_old"], now, body), body), "in an overlap"
    assert not verify(header, body + b" ")
    assert not verify(signature_header(["whsec_other"], now, body), body)
    assert not verify(signature_header([secret], now - 3600, body), body), "too old: a replay"
    assert not verify("garbage", body)
