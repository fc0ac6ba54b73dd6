"""Delivering through a real loopback SMTP server, the outbox folder, and error mapping."""

import errno
import logging
import socket
from email import message_from_bytes
from email.policy import default

import pytest

from registry import files
from registry.mail import (
    PermanentMailError,
    TemporaryMailError,
    compose,
    parse_smtp_url,
    send,
    session,
)
from tests.mail.smtpserver import SmtpServer, free_port


def _message(to=("ann@example.com",)):
    return compose(list(to), "Hello", "mail/test_message", message_id="test.1")


def test_without_smtp_url_messages_are_written_to_the_outbox(mail_app, tmp_path):
    send(_message())
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    parsed = message_from_bytes(files[0].read_bytes(), policy=default)
    assert parsed["Message-ID"] == "<test.1@registry.example>"
    assert not list((tmp_path / "outbox").glob("*.part"))



def test_a_full_disk_keeps_the_message_for_later_and_leaves_no_partial_file(
        mail_app, tmp_path, monkeypatch):
    def full(path):  # a full disk often shows only when the data is flushed
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_sync_file", full)
    with pytest.raises(TemporaryMailError, match="is full"):
        send(_message())
    monkeypatch.undo()
    assert list((tmp_path / "outbox").iterdir()) == []

def test_smtp_delivers_to_every_recipient(mail_app, smtp_server):
    mail_app.config["SMTP_URL"] = smtp_server.url
    send(_message(("ann@example.com", "bob@example.com")))
    [(recipients, parsed, _authenticated)] = smtp_server.messages
    assert recipients == ["ann@example.com", "bob@example.com"]
    assert parsed["Subject"] == "[dpa-registry] Hello"
    assert parsed.get_body(("html",)) is not None


def test_one_session_sends_many_messages(mail_app, smtp_server):
    mail_app.config["SMTP_URL"] = smtp_server.url
    with session() as connection:
        for _ in range(3):
            connection.send(_message())
    assert len(smtp_server.messages) == 3


def test_login_uses_the_credentials_and_errors_never_show_the_password(mail_app, caplog):
    server = SmtpServer(credentials=("mailer", "s3cret-pass")).start()
    try:
        mail_app.config["SMTP_URL"] = f"smtp://mailer:s3cret-pass@127.0.0.1:{server.port}"
        with caplog.at_level(logging.DEBUG, logger="registry"):
            send(_message())
        assert server.messages[0][2] is True
        mail_app.config["SMTP_URL"] = f"smtp://mailer:wrong-pass@127.0.0.1:{server.port}"
        with pytest.raises(TemporaryMailError) as raised:
            send(_message())
    finally:
        server.stop()
    assert raised.value.code == 535
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("registry"))
    shown = str(raised.value) + ours + repr(parse_smtp_url(mail_app.config["SMTP_URL"]))
    assert "sent <test.1@registry.example>" in ours
    assert "wrong-pass" not in shown and "s3cret-pass" not in shown
    assert "Hello," not in ours  # no message body in the logs


def test_451_is_temporary_and_a_retry_delivers_once(mail_app, smtp_server):
    mail_app.config["SMTP_URL"] = smtp_server.url
    smtp_server.handler.data_replies.extend(["451 4.3.0 Try again later"])
    with pytest.raises(TemporaryMailError) as raised:
        send(_message())
    assert raised.value.code == 451 and not raised.value.unreachable
    send(_message())
    assert len(smtp_server.messages) == 1


def test_550_is_permanent(mail_app, smtp_server):
    mail_app.config["SMTP_URL"] = smtp_server.url
    smtp_server.handler.data_replies.append("550 5.7.1 Rejected by policy")
    with pytest.raises(PermanentMailError) as raised:
        send(_message())
    assert raised.value.code == 550
    assert smtp_server.messages == []


def test_a_refused_recipient_is_permanent_and_named(mail_app, smtp_server):
    mail_app.config["SMTP_URL"] = smtp_server.url
    smtp_server.handler.refuse["gone@example.com"] = "550 5.1.1 No such user"
    with pytest.raises(PermanentMailError) as raised:
        send(_message(("ann@example.com", "gone@example.com")))
    assert raised.value.refused == {"gone@example.com": 550}
    with pytest.raises(PermanentMailError):
        send(_message(("gone@example.com",)))


def test_connection_refused_is_temporary(mail_app):
    mail_app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}?timeout=2"
    with pytest.raises(TemporaryMailError) as raised:
        send(_message())
    assert raised.value.unreachable and raised.value.code is None


def test_a_server_that_never_answers_times_out_as_temporary(mail_app):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        mail_app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}?timeout=0.3"
        with pytest.raises(TemporaryMailError) as raised:
            send(_message())
    assert raised.value.unreachable


def test_smtp_url_forms():
    plain = parse_smtp_url("smtp://relay.example:587?starttls=1&timeout=10")
    assert (plain.port, plain.starttls, plain.implicit_tls, plain.timeout) == (587, True, False, 10)
    tls = parse_smtp_url("smtps://user%40x:p%3Ass@relay.example")
    assert (tls.port, tls.implicit_tls, tls.username, tls.password) == (465, True, "user@x", "p:ss")
    assert "p:ss" not in repr(tls)
    assert parse_smtp_url("smtp://relay.example").port == 25
