"""The translation catalogues: which strings belong to which part, and how they are made.

Each part of the user interface has its own catalogue in registry/translations/<part>/, so
that its translators review it on its own; Flask-Babel merges the parts at run time
(registry/i18n.py). `PARTS` below is the one table of what each part holds; the other parts'
owners edit their own row. The staff part is the rest: every template folder and Python
module that no other part claims, so that a new page lands in a catalogue without anyone
remembering to list it.

    python -m registry.catalogues messages [PART ...]   extract, then update fi and sv
    python -m registry.catalogues compile                .po -> .mo for every part

`make messages` runs the first (for every part that has a catalogue; name a part to start
one); the .mo files are never committed: `compile_stale()` makes them when the app starts
(registry/i18n.py) and `make install` makes them too.
"""

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

PACKAGE = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE.parent
TRANSLATIONS = PACKAGE / "translations"
MAPPING = SOURCE_ROOT / "babel.cfg"
TRANSLATED = ("fi", "sv")
KEYWORDS = ("lazy_gettext", "_l", "lazy_ngettext:1,2", "lazy_pgettext:1c,2")


@dataclass(frozen=True)
class Part:
    """What one catalogue holds: template folders (under templates/) and Python modules."""

    templates: tuple[str, ...] = ()
    python: tuple[str, ...] = ()


# Template folders are relative to templates/; Python paths relative to the source root, a
# folder meaning every module under it.
PARTS = {
    "external": Part(
        templates=("auth", "account", "portal", "controller_pages", "reports"),
        python=("registry/auth", "registry/portal", "registry/controller_pages",
                "registry/reports", "registry/attestations/explain.py"),
    ),
    "email": Part(
        templates=("email",),
        # The e-mails' subjects, and the words alerts put into their e-mails.
        python=("registry/mail", "registry/alerts/messages.py",
                "registry/attestations/notify.py", "registry/engagements/notices.py",
                "registry/incidents/notices.py", "registry/requests/delivery.py"),
    ),
    "staff": Part(),  # everything the parts above do not claim
}
STAFF = "staff"


def _claimed(attribute):
    return {path for name, part in PARTS.items() if name != STAFF
            for path in getattr(part, attribute)}


def template_files(part_name):
    """The part's templates, as paths relative to the source root, sorted."""
    templates = SOURCE_ROOT / "templates"
    if part_name == STAFF:
        claimed = _claimed("templates")
        files = [path for path in templates.rglob("*.html")
                 if path.relative_to(templates).parts[0] not in claimed]
    else:
        files = [path for folder in PARTS[part_name].templates
                 for pattern in ("*.html", "*.txt")  # e-mails have a plain-text twin
                 for path in (templates / folder).rglob(pattern)]
    return sorted(str(path.relative_to(SOURCE_ROOT)) for path in files)


def python_files(part_name):
    """The part's Python modules, as paths relative to the source root, sorted."""
    if part_name == STAFF:
        claimed = [SOURCE_ROOT / path for path in _claimed("python")]
        files = [path for path in PACKAGE.rglob("*.py")
                 if not any(path == owned or owned in path.parents for owned in claimed)]
    else:
        files = []
        for entry in PARTS[part_name].python:
            path = SOURCE_ROOT / entry
            files.extend(path.rglob("*.py") if path.is_dir() else [path])
    return sorted(str(path.relative_to(SOURCE_ROOT)) for path in files
                  if "translations" not in path.parts)


def catalogue_path(part_name, language, suffix="po"):
    return TRANSLATIONS / part_name / language / "LC_MESSAGES" / f"messages.{suffix}"


def parts_with_catalogues():
    """The parts whose Finnish catalogue exists (a part starts once `make messages PART` ran)."""
    return [name for name in PARTS if catalogue_path(name, TRANSLATED[0]).exists()]


def _pybabel(*arguments):
    CommandLineInterface().run(["pybabel", "-q", *arguments])


def extract(part_name, template_path):
    """Run `pybabel extract` over the part's files into `template_path` (a .pot)."""
    keywords = [argument for keyword in KEYWORDS for argument in ("-k", keyword)]
    cwd = os.getcwd()
    os.chdir(SOURCE_ROOT)  # babel.cfg's patterns are relative to the source root
    try:
        _pybabel("extract", "-F", str(MAPPING), *keywords, "--no-wrap", "--sort-by-file",
                 "--omit-header", "-o", str(template_path),
                 *template_files(part_name), *python_files(part_name))
    finally:
        os.chdir(cwd)


def extracted_catalogue(part_name):
    """The part's strings as extraction finds them now (a babel Catalog)."""
    with tempfile.TemporaryDirectory() as folder:
        template_path = Path(folder) / "messages.pot"
        extract(part_name, template_path)
        with template_path.open("rb") as pot:
            return read_po(pot)


def update_messages(part_name):
    """Extract the part and bring its fi and sv catalogues up to date (init when missing)."""
    with tempfile.TemporaryDirectory() as folder:
        template_path = Path(folder) / "messages.pot"
        extract(part_name, template_path)
        directory = str(TRANSLATIONS / part_name)
        for language in TRANSLATED:
            command = "update" if catalogue_path(part_name, language).exists() else "init"
            extra = ["--ignore-obsolete", "--no-fuzzy-matching"] if command == "update" else []
            extra.append("--no-wrap")
            _pybabel(command, "-i", str(template_path), "-d", directory, "-l", language, *extra)


def compile_stale():
    """Write each .mo that is missing or older than its .po; return the paths written.

    A .mo is written to a temporary file and moved into place, so that two processes starting
    together never read half a file. Fuzzy entries are left out, as `pybabel compile` does.
    """
    written = []
    for po_path in sorted(TRANSLATIONS.glob("*/*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po:
            catalogue = read_po(po)
        with tempfile.NamedTemporaryFile(dir=mo_path.parent, delete=False) as mo:
            write_mo(mo, catalogue)
        os.replace(mo.name, mo_path)
        written.append(mo_path)
    return written


def main(arguments=None):
    command, *names = arguments if arguments is not None else sys.argv[1:] or ["help"]
    if command == "messages":
        for name in names or parts_with_catalogues():
            update_messages(name)
    elif command == "compile":
        for path in compile_stale():
            print(f"compiled {path.relative_to(PACKAGE)}")
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
