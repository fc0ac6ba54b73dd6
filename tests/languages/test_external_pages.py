"""The pages subcontractors, controllers and every signed-in user read render in Finnish and
Swedish, with no English sentence of the external catalogue left (issue 21)."""

import re

import pytest
from babel.messages.pofile import read_po

from registry import catalogues
from tests.auth_helpers import csrf_token, login, login_form
from tests.factories import make_user

MIN_WORDS = 3  # "Status" is Swedish too; a sentence of three words is not
TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
LANGUAGES = ["fi", "sv"]


def english_sentences(language):
    """The external catalogue's English sentences that its `language` translates otherwise."""
    with catalogues.catalogue_path("external", language).open("rb") as po:
        messages = list(read_po(po))
    sentences = set()
    for message in messages:
        text = message.id if isinstance(message.id, str) else message.id[0]
        if (text and "%(" not in text and "<" not in text and len(text.split()) >= MIN_WORDS
                and message.string != text):
            sentences.add(text)
    return sentences


def leaks(html, language):
    """The English sentences of the catalogue that `html` still shows."""
    text = " ".join(TAGS.sub(" ", html).split())
    return sorted(sentence for sentence in english_sentences(language) if sentence in text)


def assert_translated(client, urls, language, status=200):
    """Each of `urls` answers `status` in `language`, no English sentence of the catalogue left."""
    found = {}
    for url in urls:
        response = client.get(url, headers={"Accept-Language": language})
        assert response.status_code == status, (url, response.status_code)
        html = response.get_data(as_text=True)
        assert f'<html lang="{language}">' in html, url
        if leaks(html, language):
            found[url] = leaks(html, language)
    assert not found, found


@pytest.mark.parametrize(("language", "heading"), [("fi", "<h1>Kirjaudu sisään</h1>"),
                                                   ("sv", "<h1>Logga in</h1>"),
                                                   ("de, en;q=0.5", "<h1>Sign in</h1>")])
def test_the_login_page_follows_accept_language(client, language, heading):
    html = client.get("/login", headers={"Accept-Language": language}).get_data(as_text=True)
    assert heading in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_in_pages_are_translated(client, language):
    assert_translated(client, ["/login", "/password/forgot"], language)
    assert_translated(client, ["/invitation/not-a-token"], language, status=404)
    user = make_user("legal")
    login_form(client, user.email, "wrong password")
    assert_translated(client, ["/login"], language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_password_is_told_in_the_page_s_language(client, language):
    user = make_user("legal")
    page = client.get("/login", headers={"Accept-Language": language})
    response = client.post("/login", headers={"Accept-Language": language}, data={
        "email": user.email, "password": "not the password",
        "csrf_token": csrf_token(page.get_data(as_text=True))})
    assert not leaks(response.get_data(as_text=True), language)
    assert {"fi": "Sähköpostiosoite tai salasana on väärin",
            "sv": "E-postadressen eller lösenordet är fel"}[language] in response.get_data(
        as_text=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_account_page_is_translated(client, language):
    login(client, make_user("auditor"))
    assert_translated(client, ["/account"], language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_portal_pages_are_translated(client, language):
    from tests.portal.factories import make_upload, make_world

    first, _second, _legal = make_world()
    upload = make_upload(first.subcontractor, first.user, review="accepted")
    login(client, first.user)
    assert_translated(client, [
        "/portal/", "/portal/attestations", f"/portal/attestations/{upload.id}",
        "/portal/attestations/new", "/portal/attestations/new?type=iso27001", "/portal/contacts",
        "/portal/incidents", "/portal/return-or-deletion",
    ], language)  # /portal/incidents/new: its form is the staff's (registry/incidents/forms.py)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_controllers_pages_are_translated(app, client, language):
    from tests.controller_pages.helpers import make_party

    app.config["PUBLIC_SUBPROCESSORS"] = True

    party = make_party("Aurora Kauppa Oy", ["privacy@aurora.example"], "Aurora")
    assert_translated(client, [party.path, "/sub-processors"], language)


def test_a_controller_s_feed_is_in_its_own_language(client):
    from tests.controller_pages.helpers import make_party

    party = make_party("Aurora Kauppa Oy", ["privacy@aurora.example"], "Aurora")
    party.controller.language = "sv"
    party.controller.save()
    feed = client.get(f"{party.path}/feed.atom", headers={"Accept-Language": "fi"})
    assert "Ändringar av underbiträden för Aurora Kauppa Oy" in feed.get_data(as_text=True)
