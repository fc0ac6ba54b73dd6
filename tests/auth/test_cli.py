"""`dpa-registry users ...`: invitations, scripted accounts, MFA reset, deactivation."""

import re

from registry.models import AuditEvent, User
from tests.auth_helpers import csrf_token, login, login_form
from tests.factories import make_subcontractor, make_user

STRONG = "violet-anchor-meadow-42"


def test_create_prints_and_mails_a_working_invitation_link(app, runner, client, outbox):
    result = runner.invoke(args=["users", "create", "--email", "New.Admin@Example.test",
                                 "--role", "admin"])
    assert result.exit_code == 0, result.output
    link = re.search(r"http://registry\.test(/invitation/\S+)", result.output).group(1)
    mails = outbox()
    assert [m["To"] for m in mails] == ["new.admin@example.test"]
    assert link in mails[0].get_body(("plain",)).get_content()
    user = User.get(User.email == "new.admin@example.test")
    assert user.role == "admin" and user.password_hash is None
    assert client.get(link).status_code == 200


def test_password_stdin_makes_an_active_account_that_enrols_at_first_sign_in(app, runner,
                                                                            client, outbox):
    result = runner.invoke(args=["users", "create", "--email", "ops@example.test", "--role",
                                 "legal", "--password-stdin"], input=STRONG + "\n")
    assert result.exit_code == 0, result.output
    assert "invitation" not in result.output and outbox() == []
    response = login_form(client, "ops@example.test", STRONG)
    assert response.headers["Location"] == "/mfa/enroll"


def test_password_stdin_refuses_a_weak_password(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "ops@example.test", "--role",
                                 "legal", "--password-stdin"], input="password1234\n")
    assert result.exit_code == 2 and "commonly used" in result.output
    assert User.select().count() == 0


def test_subcontractor_users_need_their_organisation(app, runner):
    result = runner.invoke(args=["users", "create", "--email", "s@example.test", "--role",
                                 "subcontractor"])
    assert result.exit_code == 2 and "--subcontractor" in result.output
    subcontractor = make_subcontractor()
    result = runner.invoke(args=["users", "create", "--email", "s@example.test", "--role",
                                 "subcontractor", "--subcontractor", str(subcontractor.id)])
    assert result.exit_code == 0, result.output
    assert User.get(User.email == "s@example.test").subcontractor_id == subcontractor.id


def test_duplicate_email_is_refused(app, runner):
    make_user(email="dup@example.test")
    result = runner.invoke(args=["users", "create", "--email", "DUP@example.test",
                                 "--role", "legal"])
    assert result.exit_code == 2 and "exists already" in result.output


def test_reset_mfa_ends_sessions_and_forces_enrolment(app, runner, make_client):
    user = make_user()
    client = login(make_client(), user)
    result = runner.invoke(args=["users", "reset-mfa", "--email", user.email])
    assert result.exit_code == 0, result.output
    assert client.get("/account").status_code == 302
    refreshed = User.get_by_id(user.id)
    assert refreshed.totp_enabled_at is None and refreshed.totp_secret_encrypted is None
    assert login_form(make_client(), user.email, "quiet-harbour-lantern-orbit-7").headers[
        "Location"] == "/mfa/enroll"
    assert AuditEvent.get(AuditEvent.action == "user.mfa_reset").actor_label == "cli"


def test_deactivate_ends_sessions_at_once(app, runner, make_client):
    user = make_user()
    client = login(make_client(), user)
    result = runner.invoke(args=["users", "deactivate", "--email", user.email])
    assert result.exit_code == 0, result.output
    assert client.get("/account").status_code == 302
    page = make_client().get("/login")
    assert csrf_token(page.get_data(as_text=True))
    assert login_form(make_client(), user.email, "quiet-harbour-lantern-orbit-7"
                      ).status_code == 200


def test_unknown_email_is_a_clear_error(app, runner):
    result = runner.invoke(args=["users", "reset-mfa", "--email", "nobody@example.test"])
    assert result.exit_code == 2 and "no account" in result.output


def test_reset_mfa_of_a_deactivated_account_is_a_clear_error(app, runner):
    user = make_user()
    runner.invoke(args=["users", "deactivate", "--email", user.email])
    result = runner.invoke(args=["users", "reset-mfa", "--email", user.email])
    assert result.exit_code == 2 and "is deactivated" in result.output
