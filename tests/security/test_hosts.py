"""Outside development the app answers only to its own host names: a forged Host gets 400.

Before, with REGISTRY_TRUSTED_HOSTS unset (the default), any Host header was accepted in
production too.
"""

import pytest

from registry import create_app
from registry.config import ConfigError, trusted_hosts
from registry.extensions import database
from tests.conftest import base_config


def _production_app(tmp_path, database_url, **overrides):
    config = {**base_config(tmp_path, database_url), "REGISTRY_ENV": "production",
              "BASE_URL": "https://registry.example", **overrides}
    return create_app(config)


def _status(app, base_url):
    with app.app_context():
        status = app.test_client().get("/login", base_url=base_url).status_code
        database.connect(reuse_if_open=True)
    return status


def test_production_answers_only_to_the_base_url_host(app, tmp_path, database_url):
    production = _production_app(tmp_path, database_url)
    assert production.config["TRUSTED_HOSTS"] == ["registry.example"]
    assert _status(production, "https://evil.example") == 400
    assert _status(production, "https://registry.example:443") == 200
    assert _status(production, "https://registry.example") == 200


def test_configured_trusted_hosts_win_over_the_base_url(app, tmp_path, database_url):
    production = _production_app(tmp_path, database_url,
                                 TRUSTED_HOSTS=["registry.example", "dpa.internal"])
    assert _status(production, "http://dpa.internal") == 200
    assert _status(production, "https://registry.example.evil.example") == 400


def test_development_still_answers_to_any_host(app, client):
    assert app.config["TRUSTED_HOSTS"] is None
    assert client.get("/login", base_url="http://192.168.1.20:5000").status_code == 200


@pytest.mark.parametrize("config, expected", [
    ({"REGISTRY_ENV": "production", "BASE_URL": "https://dpa.example.com/registry"},
     ["dpa.example.com"]),
    ({"REGISTRY_ENV": "staging", "BASE_URL": "http://10.0.0.5:8080"}, ["10.0.0.5"]),
    ({"REGISTRY_ENV": "production", "BASE_URL": "https://a.example", "TRUSTED_HOSTS": ["b"]},
     ["b"]),
    ({"REGISTRY_ENV": "development", "BASE_URL": "http://127.0.0.1:5000"}, None),
])
def test_trusted_hosts_are_derived(config, expected):
    assert trusted_hosts(config) == expected


def test_a_base_url_without_a_host_is_refused_outside_development():
    with pytest.raises(ConfigError, match="REGISTRY_TRUSTED_HOSTS"):
        trusted_hosts({"REGISTRY_ENV": "production", "BASE_URL": "https://"})
