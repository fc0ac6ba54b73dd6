"""Where a webhook may go: HTTPS to public addresses, checked at registration and before
every delivery (a name that resolved to a public address yesterday may resolve to a private
one today: DNS rebinding).

Loopback, private, link-local, multicast, reserved and every other non-global address are
refused, unless the host name or a network holding the address is in
REGISTRY_WEBHOOKS_ALLOW_HOSTS. REGISTRY_WEBHOOKS_ALLOW_HTTP_LOOPBACK (development and tests)
admits loopback receivers, over plain HTTP too. A delivery connects to the very address that
was checked, never to a second resolution of the name.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

MAX_URL_LENGTH = 2000


class UnsafeDestination(ValueError):
    """A URL the registry refuses to send webhooks to, with the reason a person can act on."""


@dataclass(frozen=True)
class Destination:
    """A checked URL: its parts, and the addresses (all checked) the delivery may connect to."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple

    @property
    def address(self):
        """Return the first address, the one tried first."""
        return self.addresses[0]


def resolve(host, port):
    """Return the addresses `host` resolves to (one lookup; tests replace it)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _allowed_networks_and_hosts(config):
    networks, hosts = [], set()
    for entry in config.get("WEBHOOKS_ALLOW_HOSTS") or ():
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            hosts.add(entry.lower().rstrip("."))
    return networks, hosts


def _kind(address):
    """Return what makes `address` non-public ("a private address"...), or None if public."""
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for test, name in (("is_loopback", _("a loopback address")),
                       ("is_link_local", _("a link-local address")),
                       ("is_multicast", _("a multicast address")),
                       ("is_unspecified", _("an unspecified address")),
                       ("is_private", _("a private address")),
                       ("is_reserved", _("a reserved address"))):
        if getattr(address, test):
            return name
    return None if address.is_global else _("a non-public address")


def refusal(host, address, config):
    """Return why `address` (of `host`) is refused, or None when a delivery may go there."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    kind = _kind(ip)
    if kind is None:
        return None
    if config.get("WEBHOOKS_ALLOW_HTTP_LOOPBACK") and (
            ip.is_loopback or (ip.version == 6 and ip.ipv4_mapped and ip.ipv4_mapped.is_loopback)):
        return None
    networks, hosts = _allowed_networks_and_hosts(config)
    if host.lower().rstrip(".") in hosts or any(ip in network for network in networks
                                                 if network.version == ip.version):
        return None
    return _("%(host)s resolves to %(address)s, %(kind)s; add it to "
             "REGISTRY_WEBHOOKS_ALLOW_HOSTS if this receiver is meant to be internal.",
             host=host, address=address, kind=kind)


def _parts(url):
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeDestination(_("Keep the URL under %(count)d characters.",
                                  count=MAX_URL_LENGTH))
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeDestination(_("Enter a full https:// URL."))
    if parts.username or parts.password:
        raise UnsafeDestination(_("Leave the user name and password out of the URL: the "
                                  "signature proves who is sending."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UnsafeDestination(_("The URL's port is not a number from 1 to 65535.")) from None
    return parts, port


def check(url, config=None):
    """Return the Destination of `url`, or raise UnsafeDestination saying why not."""
    config = config or current_app.config
    parts, port = _parts(url)
    host = parts.hostname
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        raise UnsafeDestination(_("The host name %(host)s cannot be resolved.",
                                  host=host)) from None
    if not addresses:
        raise UnsafeDestination(_("The host name %(host)s has no address.", host=host))
    for address in addresses:
        problem = refusal(host, address, config)
        if problem:
            raise UnsafeDestination(problem)
    if parts.scheme == "http" and not (config.get("WEBHOOKS_ALLOW_HTTP_LOOPBACK") and all(
            ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
            for address in addresses)):
        raise UnsafeDestination(_("Use https://: plain HTTP is allowed only to this machine "
                                  "in development (REGISTRY_WEBHOOKS_ALLOW_HTTP_LOOPBACK)."))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Destination(parts.scheme, host, port, path, tuple(addresses))
