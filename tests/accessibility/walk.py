"""The page walk: every page each visitor can reach, checked by axe-core at two widths.

A visitor is a browser context: signed out, half-way through signing in, or signed in with a
role. It starts from every page without a variable in its address that it may open, plus the
links people get by e-mail, and follows the links on each page to pages of routes it has not
seen yet (one address per route and visitor: the demo gives every route a realistic id; a route
no link led to is tried with id 1). Each page
is checked at 1280 px and again at 320 px (the same document, resized), its sideways scroll is
measured at 320 px, and the HTML the server sent is kept for the Nu HTML Checker.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from registry.auth.access import PUBLIC, allows, declaration
from tests.e2e.conftest import WAIT_MS, fresh_totp_code
from tests.factories import PASSWORD

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 720}
# Routes that answer with a file or machine-readable data, not a page; /api/ answers JSON.
NOT_PAGES = re.compile(
    r"(\.(csv|json|pdf|atom|xlsx|ics)|/document|/download|^/healthz|^/readyz)$|^/api/")
AXE_RUN = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary.split("\\n")[1])}));
}"""


@dataclass
class Visit:
    """One page as one visitor saw it."""

    visitor: str
    endpoint: str
    url: str
    status: int
    html_file: str
    violations: dict = field(default_factory=dict)  # width -> [violation, ...]
    scroll_width: int = 0


def page_rules(app):
    """The GET routes that answer with a page (by their address), as {endpoint: rule}."""
    rules = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint != "static" and "GET" in rule.methods and not NOT_PAGES.search(rule.rule):
            rules.setdefault(rule.endpoint, rule)
    return rules


def may_open(endpoint, role):
    """Whether `role` (None: signed out) may open the pages of `endpoint`."""
    return declaration(endpoint) == PUBLIC if role is None else allows(endpoint, role)


class Walker:
    """Walks the site for each visitor, keeping every visit and the HTML of every page."""

    def __init__(self, site, browser, axe_source, html_folder):
        self.site = site
        self.browser = browser
        self.axe_source = axe_source
        self.html_folder = html_folder
        self.adapter = site.app.url_map.bind("127.0.0.1")
        self.rules = page_rules(site.app)
        self.visits = []
        self.requested = set()  # endpoints asked for, including those that redirect elsewhere

    def endpoint_of(self, url):
        """Return the endpoint a same-site page address belongs to, or None."""
        parts = urlsplit(url)
        if not url.startswith(self.site.url) or NOT_PAGES.search(parts.path):
            return None
        try:
            endpoint, _ = self.adapter.match(parts.path, method="GET")
        except HTTPException:
            return None
        return endpoint if endpoint in self.rules else None

    def walk(self, visitor, role, start_paths, sign_in=None, follow_links=True):
        """Visit `start_paths` and every page reachable from them as one browser context."""
        context = self.browser.new_context(viewport=WIDE)
        context.set_default_timeout(WAIT_MS)
        context.add_init_script(script=self.axe_source)
        page = context.new_page()
        try:
            if sign_in is not None:
                sign_in(page)
            seen = set()
            queue = [self.site.at(path) for path in start_paths]
            while queue:
                self._walk_queue(page, visitor, role, queue, seen, follow_links)
                if follow_links:
                    queue = [self.site.at(path) for path in self._unreached(role, seen)]
                    follow_links = False
        finally:
            context.close()

    def _walk_queue(self, page, visitor, role, queue, seen, follow_links):
        while queue:
            url = queue.pop(0)
            endpoint = self.endpoint_of(url)
            if endpoint is None or endpoint in seen or not may_open(endpoint, role):
                continue
            seen.add(endpoint)
            self.requested.add(endpoint)
            links = self._visit(page, visitor, url, seen)
            if follow_links:
                queue.extend(links)

    def _unreached(self, role, seen):
        """Addresses, with id 1 throughout, of the pages no link led to (rows the demo lacks)."""
        for endpoint, rule in self.rules.items():
            if endpoint not in seen and rule.arguments and may_open(endpoint, role) and all(
                    isinstance(rule._converters[name], IntegerConverter)
                    for name in rule.arguments):
                yield rule.build(dict.fromkeys(rule.arguments, 1), append_unknown=False)[1]

    def _visit(self, page, visitor, url, seen):
        try:
            response = page.goto(url)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                return []
            raise
        endpoint = self.endpoint_of(page.url)  # where a redirect ended
        if endpoint is None or "text/html" not in response.headers.get("content-type", ""):
            return []
        if page.url != url:
            self.requested.add(endpoint)
            if endpoint in seen:
                return []
            seen.add(endpoint)
        name = f"{visitor}--{endpoint}.html"
        (self.html_folder / name).write_text(response.text(), encoding="utf-8")
        visit = Visit(visitor, endpoint, page.url, response.status, name)
        visit.violations["1280"] = page.evaluate(AXE_RUN)
        page.set_viewport_size(NARROW)
        visit.violations["320"] = page.evaluate(AXE_RUN)
        visit.scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        page.set_viewport_size(WIDE)
        self.visits.append(visit)
        return page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")


def password_step(site, user):
    """Return a sign-in function that stops after the password (the TOTP step is next)."""
    def sign_in(page):
        page.goto(site.at("/login"))
        page.get_by_label("E-mail address").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(lambda url: urlsplit(url).path != "/login")
    return sign_in


def full_sign_in(site, user):
    """Return a sign-in function that passes both steps."""
    def sign_in(page):
        password_step(site, user)(page)
        page.get_by_label("Six-digit code").fill(fresh_totp_code(user))
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url(lambda url: not urlsplit(url).path.startswith("/login"))
    return sign_in


def walk_everything(site, browser, axe_source, html_folder):
    """Walk the site as every visitor; return the Walker with its visits."""
    walker = Walker(site, browser, axe_source, html_folder)
    simple = [rule.rule for rule in walker.rules.values() if not rule.arguments]
    walker.walk("signed-out", None, simple + site.mailed_paths)
    walker.walk("password-step", None, ["/login/totp", "/login/recovery"],
                sign_in=password_step(site, site.users["legal"]), follow_links=False)
    walker.walk("enrolling", None, ["/mfa/enroll"],
                sign_in=password_step(site, site.users["enrolling"]), follow_links=False)
    for role in ("admin", "legal", "auditor", "subcontractor"):
        walker.walk(role, role, [*site.role_paths.get(role, []), "/home", *simple],
                    sign_in=full_sign_in(site, site.users[role]))
    return walker
