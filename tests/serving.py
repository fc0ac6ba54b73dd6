"""Waiting for a server process the test started to answer."""

import time

import httpx


def wait_until_serving(base, process, seconds=60):
    """Poll `base`/healthz until it answers; fail if `process` exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}")
        try:
            return httpx.get(f"{base}/healthz", timeout=2)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered on {base} within {seconds} s")
