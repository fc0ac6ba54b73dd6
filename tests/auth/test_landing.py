"""Where people land: the home page, the navigation, and the subcontractor boundary."""

from registry.navigation import NAV_ITEMS, NavItem, visible_items
from tests.auth_helpers import login
from tests.factories import make_user


def test_home_sends_visitors_to_sign_in(app, client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_home_sends_each_role_to_its_start_page(app, make_client):
    expected = {
        "legal": "/dashboard" if "dashboard.show_dashboard" in app.view_functions else "/home",
        "subcontractor": "/portal" if "portal.show_portal" in app.view_functions else "/home",
    }
    for role, target in expected.items():
        client = login(make_client(), make_user(role))
        location = client.get("/").headers["Location"]
        assert location.rstrip("/") == target.rstrip("/"), role


def test_healthz_is_public(app, client):
    assert client.get("/healthz").status_code == 200


def test_navigation_shows_registered_items_the_role_may_see():
    items = [NavItem("Users", "admin.list_users", ("admin",)),
             NavItem("Missing", "nowhere.show", ("admin",))]
    registered = {"admin.list_users": object()}
    original = list(NAV_ITEMS)
    NAV_ITEMS[:] = items
    try:
        assert [i.label for i in visible_items("admin", registered)] == ["Users"]
        assert visible_items("legal", registered) == []
    finally:
        NAV_ITEMS[:] = original


def test_menu_shows_the_user_and_a_post_logout_form(app, client):
    user = make_user("admin")
    login(client, user)
    html = client.get("/account").get_data(as_text=True)
    assert user.email in html and 'action="/logout"' in html and 'method="post"' in html
    assert 'href="/admin/users"' in html
    assert 'class="skip-link"' in html
