"""Find the text of a template that is shown to people but not marked for translation.

A template is read with Jinja's own lexer: whatever stands between `{% trans %}` and
`{% endtrans %}` or inside `_()`, `gettext()`, `ngettext()` is marked. Of the rest, the HTML
text nodes and the attributes people read (title, alt, placeholder, aria-label ...) that hold a
letter are reported, and so are string literals in expressions that read like prose ("Add a
controller", passed to a macro), which should have been `_()` calls. Plain-text templates
(e-mails) are text from end to end.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment

READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description",
                   "aria-roledescription", "aria-valuetext", "label", "summary"}
GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
LETTER = re.compile(r"[^\W\d_]")
# "Dashboard", "Add a controller", "the registry is empty." read as prose; "badge--neutral",
# "controllers.list", "%Y-%m-%d", "success" do not.
PROSE = re.compile(r"^[A-Z][a-z]|^[a-z]+( [a-z]+)+[.:!?]?$")
HOLE = "\x00"  # stands in the HTML for each Jinja tag, keeping its line breaks

_environment = Environment(extensions=["jinja2.ext.i18n"])


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._skipping = []

    def handle_starttag(self, tag, attributes):
        if tag in ("script", "style"):
            self._skipping.append(tag)
        for name, value in attributes:
            if name in READ_ATTRIBUTES and value and LETTER.search(value.replace(HOLE, "")):
                self.found.append((self.getpos()[0], f'{name}="{value.replace(HOLE, "…")}"'))

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping and LETTER.search(data.replace(HOLE, "")):
            self.found.append((self.getpos()[0], " ".join(data.replace(HOLE, "…").split())))


def _skeleton_and_prose(source):
    """The template's HTML with every Jinja tag replaced by HOLE, and unmarked prose literals."""
    pieces, prose = [], []
    in_trans = False
    gettext_depth = None  # the bracket depth at which the current gettext call opened
    depth = 0
    previous = None
    for lineno, kind, value in _environment.lex(source):
        if kind == "data" and not in_trans:
            pieces.append(value)
        else:
            opens = kind.endswith("_begin") and not in_trans
            pieces.append((HOLE if opens else "") + "\n" * value.count("\n"))
        if kind == "name" and previous and previous[0] == "block_begin":
            if value == "trans":
                in_trans = True
            elif value == "endtrans":
                in_trans = False
        elif kind == "operator" and value in "([{":
            if previous and previous[0] == "name" and previous[1] in GETTEXT_CALLS:
                gettext_depth = gettext_depth if gettext_depth is not None else depth
            depth += 1
        elif kind == "operator" and value in ")]}":
            depth -= 1
            if gettext_depth is not None and depth == gettext_depth:
                gettext_depth = None
        elif kind == "string" and gettext_depth is None and not in_trans:
            text = value[1:-1]
            if PROSE.search(text):
                prose.append((lineno, f"string {value}"))
        if kind != "whitespace":
            previous = (kind, value)
    return "".join(pieces), prose


def unmarked_strings(path):
    """Return (line, text) for each string of the template at `path` not marked for translation."""
    source = Path(path).read_text(encoding="utf-8")
    skeleton, prose = _skeleton_and_prose(source)
    if Path(path).suffix != ".html":
        found = [(number, line.replace(HOLE, "…").strip())
                 for number, line in enumerate(skeleton.splitlines(), start=1)
                 if LETTER.search(line.replace(HOLE, ""))]
    else:
        collector = _TextCollector()
        collector.feed(skeleton)
        collector.close()
        found = collector.found
    return sorted(found + prose)
