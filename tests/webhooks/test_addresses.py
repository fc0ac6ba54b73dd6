"""SSRF: private, loopback, link-local and other non-public receivers are refused unless
allowed, at registration (and again at delivery: test_delivery)."""

import pytest

from registry.webhooks import addresses, operations
from registry.webhooks.addresses import UnsafeDestination, check
from registry.webhooks.models import WebhookEndpoint

STRICT = {"WEBHOOKS_ALLOW_HTTP_LOOPBACK": False, "WEBHOOKS_ALLOW_HOSTS": None}


@pytest.mark.parametrize(("url", "kind"), [
    ("https://10.0.0.5/hook", "private"),
    ("https://192.168.1.20/hook", "private"),
    ("https://127.0.0.1/hook", "loopback"),
    ("https://169.254.169.254/latest/meta-data/", "link-local"),
    ("https://[::1]/hook", "loopback"),
    ("https://[fc00::1]/hook", "private"),
    ("https://[fe80::1]/hook", "link-local"),
    ("https://224.0.0.1/hook", "multicast"),
    ("https://0.0.0.0/hook", "unspecified"),
    ("https://[::ffff:10.0.0.1]/hook", "private"),
    ("https://100.64.0.1/hook", "non-public"),
])
def test_non_public_addresses_are_refused(app, url, kind):
    with pytest.raises(UnsafeDestination, match=kind):
        check(url, STRICT)


def test_localhost_by_name_is_refused_without_the_loopback_setting(app):
    with pytest.raises(UnsafeDestination, match="loopback"):
        check("https://localhost/hook", STRICT)


def test_a_name_resolving_to_a_private_address_is_refused(app, monkeypatch):
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14", "10.9.8.7"])
    with pytest.raises(UnsafeDestination, match="10.9.8.7"):
        check("https://hooks.example.com/in", STRICT)


def test_an_allowed_host_or_network_may_be_private(app, monkeypatch):
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["10.9.8.7"])
    by_name = check("https://hooks.internal/in", {"WEBHOOKS_ALLOW_HOSTS": ["hooks.internal"]})
    assert by_name.address == "10.9.8.7"
    by_network = check("https://other.internal/in", {"WEBHOOKS_ALLOW_HOSTS": ["10.9.0.0/16"]})
    assert by_network.host == "other.internal"
    with pytest.raises(UnsafeDestination):
        check("https://other.internal/in", {"WEBHOOKS_ALLOW_HOSTS": ["10.8.0.0/16"]})


def test_a_public_name_is_accepted_and_pinned_to_its_address(app, monkeypatch):
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14"])
    destination = check("https://hooks.example.com:8443/in?x=1", STRICT)
    assert (destination.scheme, destination.host, destination.port, destination.path,
            destination.address) == ("https", "hooks.example.com", 8443, "/in?x=1",
                                     "93.184.215.14")


@pytest.mark.parametrize(("url", "message"), [
    ("http://hooks.example.com/in", "https"),
    ("ftp://hooks.example.com/in", "https"),
    ("https://user:pw@hooks.example.com/in", "password"),
    ("hooks.example.com/in", "https"),
])
def test_malformed_or_plain_http_urls_are_refused(app, monkeypatch, url, message):
    monkeypatch.setattr(addresses, "resolve", lambda host, port: ["93.184.215.14"])
    with pytest.raises(UnsafeDestination, match=message):
        check(url, STRICT)


def test_plain_http_is_allowed_only_to_loopback_with_the_setting(app):
    allowed = {"WEBHOOKS_ALLOW_HTTP_LOOPBACK": True}
    assert check("http://127.0.0.1:8080/in", allowed).address == "127.0.0.1"
    with pytest.raises(UnsafeDestination, match="private"):
        check("http://10.0.0.1/in", allowed)


def test_an_unresolvable_name_is_refused(app):
    with pytest.raises(UnsafeDestination, match="cannot be resolved"):
        check("https://no-such-host.invalid/in", STRICT)


def test_registration_refuses_and_stores_nothing(app):
    with pytest.raises(UnsafeDestination):
        operations.create_endpoint("https://169.254.169.254/", "", ["dpa.signed"], "cli")
    assert WebhookEndpoint.select().count() == 0
