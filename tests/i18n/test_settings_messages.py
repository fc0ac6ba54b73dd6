"""The settings page's own messages in Finnish and Swedish (issue 21): the length limit with
the locale's digit grouping, and the flash after saving."""

import pytest

from tests.auth_helpers import csrf_token, login
from tests.factories import make_user

EXPECTED = {
    "fi": ("Tekstin on oltava alle 20\u00a0000 merkkiä.", "Asetukset tallennettu."),
    "sv": ("Håll det under 20\u00a0000 tecken.", "Inställningarna har sparats."),
    "en": ("Keep it under 20,000 characters.", "Settings saved."),
}


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_settings_messages_follow_the_page_s_language(app, client, language):
    login(client, make_user("admin"))
    headers = {"Accept-Language": language}
    too_long, saved = EXPECTED[language]
    page = client.get("/admin/settings", headers=headers).get_data(as_text=True)
    response = client.post("/admin/settings", headers=headers, data={
        "csrf_token": csrf_token(page), "security_measures": "x" * 20001})
    assert response.status_code == 400
    assert too_long in response.get_data(as_text=True)
    response = client.post("/admin/settings", headers=headers, follow_redirects=True, data={
        "csrf_token": csrf_token(page), "processor_name": "Pohjola Oy"})
    assert saved in response.get_data(as_text=True)
