"""HTTPS deliveries: the certificate is checked against the URL's host name while the
connection goes to the address that was checked (a self-signed test CA stands in for a real
one)."""

import datetime
import ssl
import threading
from http.server import HTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from registry.webhooks import delivery, operations
from registry.webhooks.models import WebhookDelivery
from tests.webhooks.conftest import _handler


def _certificate(folder, name):
    """Write a self-signed certificate for `name` and its key; return (cert path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.fixture
def https_receiver(receiver, tmp_path, monkeypatch):
    """The receiver behind TLS as `localhost`, its certificate trusted by the deliverer."""
    cert_path, key_path = _certificate(tmp_path, "localhost")
    server = HTTPServer(("127.0.0.1", 0), _handler(receiver))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    trusting = ssl.create_default_context(cafile=str(cert_path))
    monkeypatch.setattr(delivery.ssl, "create_default_context", lambda: trusting)
    port = server.server_address[1]
    yield receiver, port
    server.shutdown()
    server.server_close()


def test_an_https_delivery_verifies_the_certificate_of_the_urls_host(loopback_allowed, admin,
                                                                      https_receiver):
    receiver, port = https_receiver
    endpoint, receiver.secret = operations.create_endpoint(
        f"https://localhost:{port}/hooks", "", ["dpa.signed"], admin)
    operations.send_test_event(endpoint, admin)
    assert delivery.deliver_due().delivered == 1
    assert receiver.received[0].signed


def test_a_certificate_for_another_name_is_refused(loopback_allowed, admin, https_receiver):
    receiver, port = https_receiver
    endpoint, receiver.secret = operations.create_endpoint(
        f"https://127.0.0.1:{port}/hooks", "", ["dpa.signed"], admin)
    operations.send_test_event(endpoint, admin)
    assert delivery.deliver_due().retried == 1
    assert receiver.received == []
    assert "CERTIFICATE_VERIFY_FAILED" in WebhookDelivery.get().last_error
