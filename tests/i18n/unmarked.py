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
LOWER_CASE = re.compile(r"[a-zäöåéü]")  # "CSV", "JSON", "PDF" are names, not words to translate
# "Dashboard", "Add a controller", "the registry is empty." read as prose; "badge--neutral",
# "controllers.list", "%Y-%m-%d", "success" do not.
PROSE = re.compile(r"^[A-Z](-?[a-z]| [a-z])|^[a-z]+( [a-z]+)+[.:!?]?$")
# Text joined to a value with `~` (" days", " until ") is a sentence cut in pieces.
SPACED_WORD = re.compile(r"[^\W\d_]{2} | [^\W\d_]{2}")
# Code and commands are the same in every language; a class name ("HiddenField") is no prose.
SKIPPED_ELEMENTS = {"script", "style", "code", "kbd"}
IDENTIFIER = re.compile(r"^[A-Z][a-z]+[A-Z]\w*$")
COMPARISONS = {"==", "!=", "in"}  # `kind == "Text"` compares data, it shows nothing
HOLE = "\x00"  # stands in the HTML for each Jinja tag, keeping its line breaks

_environment = Environment(extensions=["jinja2.ext.i18n"])


def _is_text(data):
    return bool(LOWER_CASE.search(data.replace(HOLE, "")))


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self._skipping = []

    def handle_starttag(self, tag, attributes):
        if tag in SKIPPED_ELEMENTS:
            self._skipping.append(tag)
        for name, value in attributes:
            if name in READ_ATTRIBUTES and value and _is_text(value):
                self.found.append((self.getpos()[0], f'{name}="{value.replace(HOLE, "…")}"'))

    def handle_endtag(self, tag):
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()

    def handle_data(self, data):
        if not self._skipping and _is_text(data):
            self.found.append((self.getpos()[0], " ".join(data.replace(HOLE, "…").split())))


def _reads_as_prose(text, previous):
    """Whether a string literal, after the token `previous`, is text shown to people."""
    if IDENTIFIER.match(text) or (previous and previous[1] in COMPARISONS):
        return False
    return bool(PROSE.search(text)) or bool(
        previous and previous[1] == "~" and SPACED_WORD.search(text))


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
            # an expression may print text; a statement (`{% if %}`) only picks what shows
            hole = {"variable_begin": HOLE, "block_begin": " "}.get(kind, "")
            pieces.append(("" if in_trans else hole) + "\n" * value.count("\n"))
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
            if _reads_as_prose(value[1:-1], previous):
                prose.append((lineno, f"string {value}"))
        elif (kind == "operator" and value == "~" and previous and previous[0] == "string"
              and gettext_depth is None and SPACED_WORD.search(previous[1])):
            prose.append((lineno, f"string {previous[1]}"))
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
                 if _is_text(line)]
    else:
        collector = _TextCollector()
        collector.feed(skeleton)
        collector.close()
        found = collector.found
    return sorted(found + prose)
