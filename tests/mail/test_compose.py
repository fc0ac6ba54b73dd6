"""Building messages: headers, both parts, stable Message-IDs, links from BASE_URL only."""

from email import message_from_bytes
from email.policy import default

import pytest

from registry.mail import PermanentMailError, compose, external_url


def test_compose_has_both_parts_and_the_configured_sender(mail_app):
    to = ["ann@example.com", ("Bob Ö", "bob@example.com")]
    message = compose(to, "Test", "mail/test_message")
    parsed = message_from_bytes(message.as_bytes(), policy=default)
    # No processor name in Settings yet: the registry's name on MAIL_FROM's address.
    assert parsed["From"] == "dpa-registry <alerts@registry.example>"
    assert [a.addr_spec for a in parsed["To"].addresses] == ["ann@example.com", "bob@example.com"]
    assert parsed["To"].addresses[1].display_name == "Bob Ö"
    assert parsed["Subject"] == "[dpa-registry] Test"
    assert parsed.get_content_type() == "multipart/alternative"
    text = parsed.get_body(("plain",)).get_content()
    html = parsed.get_body(("html",)).get_content()
    assert "test message from dpa-registry" in text
    assert 'href="http://registry.test/"' in html


def test_message_id_is_stable_when_given_and_unique_otherwise(mail_app):
    first = compose(["a@example.com"], "S", "mail/test_message", message_id="alert.k1")
    again = compose(["a@example.com"], "S", "mail/test_message", message_id="alert.k1")
    assert first["Message-ID"] == again["Message-ID"] == "<alert.k1@registry.example>"
    one = compose(["a@example.com"], "S", "mail/test_message")["Message-ID"]
    two = compose(["a@example.com"], "S", "mail/test_message")["Message-ID"]
    assert one != two and one.endswith("@registry.example>")


def test_links_use_base_url_even_inside_a_request_from_another_host(mail_app):
    mail_app.config["BASE_URL"] = "https://dpa.example.org/registry"
    with mail_app.test_request_context("/", base_url="http://evil.example"):
        assert external_url("core.home") == "https://dpa.example.org/registry/"
        link = external_url("/portal/attestations/new", type="iso27001")
        assert link == "https://dpa.example.org/registry/portal/attestations/new?type=iso27001"
        html = compose(["a@example.com"], "S", "mail/test_message").get_body(("html",))
        assert "evil.example" not in html.get_content()


@pytest.mark.parametrize("field", ["subject", "name", "reply_to"])
def test_cr_lf_in_a_header_value_is_refused_not_injected(mail_app, field):
    evil = "Mallory\r\nBcc: victim@example.net"
    subject = evil if field == "subject" else "Hello"
    to = [(evil, "ann@example.com")] if field == "name" else ["ann@example.com"]
    reply_to = evil if field == "reply_to" else None
    with pytest.raises(PermanentMailError):
        compose(to, subject, "mail/test_message", reply_to=reply_to)



def test_external_links_make_url_for_absolute_under_base_url(mail_app):
    from flask import url_for

    from registry.mail import external_links

    mail_app.config["BASE_URL"] = "https://dpa.example.org/registry"
    with external_links():
        assert url_for("core.home") == "https://dpa.example.org/registry/"
    with mail_app.test_request_context("/"), pytest.raises(RuntimeError), external_links():
        pass
