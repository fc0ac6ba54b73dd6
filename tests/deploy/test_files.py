"""deploy/'s nginx site and environment file agree with the app's configuration."""

import re
from pathlib import Path

from registry import config as configuration

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_nginx_lets_through_the_largest_upload_the_app_accepts():
    site = (DEPLOY / "nginx" / "dpa-registry.conf").read_text()
    environment = (DEPLOY / "registry.env.example").read_text()

    allowed_mb = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    upload_mb = int(re.search(r"^REGISTRY_MAX_UPLOAD_MB=(\d+)$", environment, re.M).group(1))

    # The app's own limit adds 64 KiB for the form's other fields; nginx must not cut first.
    assert allowed_mb == upload_mb + 1


def test_every_variable_of_the_environment_file_is_one_the_app_reads():
    lines = (DEPLOY / "registry.env.example").read_text().splitlines()
    settings = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    known = {f"REGISTRY_{suffix}" for suffix in configuration.ENVIRONMENT}
    known.add("REGISTRY_INSTANCE_PATH")  # read by registry.instance_dir(), before the app exists

    assert set(settings) - known == set()
    parsed = configuration.from_environment(settings)  # every value parses
    assert parsed["PROXY_HOPS"] == 1 and parsed["REGISTRY_ENV"] == "production"
