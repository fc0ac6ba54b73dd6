"""Signing in from tests through the real pages: password step, then the TOTP step."""

from registry.auth import totp
from registry.models import User
from tests.factories import PASSWORD, totp_code_for, totp_secret


def _fresh_code(user):
    """Return a code the server will accept now: a step that user has not used yet.

    Two sign-ins of one user inside the same 30 s would otherwise be refused as a replay, which
    is right for people but not for a test that signs in twice; then the user's last used step
    is moved back by one, the only liberty taken here.
    """
    step = totp.current_step()
    last = User.get_by_id(user.id).totp_last_step
    if last >= step:
        User.update(totp_last_step=step - 1).where(User.id == user.id).execute()
    return totp_code_for(user)


def login_form(client, email, password):
    """Post the first step; return the response."""
    page = client.get("/login")
    assert page.status_code == 200, page.status_code
    token = csrf_token(page.get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": token})


def csrf_token(html):
    """Return the CSRF token of the first form in `html`."""
    marker = 'name="csrf_token" type="hidden" value="'
    start = html.find(marker)
    if start < 0:
        marker = 'name="csrf_token" value="'
        start = html.find(marker)
    assert start >= 0, "no csrf_token in page"
    start += len(marker)
    return html[start:html.index('"', start)]


def post_form(client, url, data, page_url=None):
    """GET `page_url` (default `url`) for a CSRF token, then POST `data` to `url`."""
    page = client.get(page_url or url)
    data = dict(data, csrf_token=csrf_token(page.get_data(as_text=True)))
    return client.post(url, data=data)


def login(client, user, password=PASSWORD):
    """Sign `user` in through /login and /login/totp for real; return the client."""
    response = login_form(client, user.email, password)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert response.headers["Location"].endswith("/login/totp"), response.headers["Location"]
    response = post_form(client, "/login/totp", {"code": _fresh_code(user)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return client


__all__ = ["login", "login_form", "post_form", "csrf_token", "totp_secret"]
