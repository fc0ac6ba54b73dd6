"""Every string people read is marked, extracted, and translated into Finnish and Swedish.

The checks run for each part of registry/catalogues.PARTS that has its catalogues (a part
starts with `make messages PART=<part>`); `test_every_part_has_catalogues` holds out for the
parts that have none yet.
"""

import re

import pytest
from babel.messages.pofile import read_po

from registry import catalogues
from tests.i18n.unmarked import unmarked_strings

PARTS = catalogues.parts_with_catalogues()


def _templates():
    for part in PARTS:
        for path in catalogues.template_files(part):
            yield pytest.param(path, id=path)


def _catalogue(part, language):
    with catalogues.catalogue_path(part, language).open("rb") as po:
        return read_po(po)


def test_every_part_has_catalogues():
    assert set(PARTS) == set(catalogues.PARTS), "run `make messages PART=<part>` for the rest"


@pytest.mark.parametrize("path", list(_templates()))
def test_template_strings_are_marked(path):
    found = unmarked_strings(catalogues.SOURCE_ROOT / path)
    assert not found, "\n".join(f"{path}:{line}: {text}" for line, text in found)


@pytest.mark.parametrize("language", catalogues.TRANSLATED)
@pytest.mark.parametrize("part", PARTS)
def test_catalogue_is_complete(part, language):
    catalogue = _catalogue(part, language)
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not all(strings):
            problems.append(f"untranslated: {message.id!r}")
    problems += [f"{message.id!r}: {error}" for message, errors in catalogue.check()
                 for error in errors]
    assert not problems, f"{part}/{language}: " + "\n".join(problems)


@pytest.mark.parametrize("part", PARTS)
def test_catalogues_match_the_sources(part):
    """A .po that lacks a string the sources mark, or keeps one they dropped, is stale."""
    extracted = {message.id for message in catalogues.extracted_catalogue(part) if message.id}
    for language in catalogues.TRANSLATED:
        stored = {message.id for message in _catalogue(part, language) if message.id}
        assert extracted == stored, (
            f"{part}/{language} is stale, run `make messages`: "
            f"new {sorted(extracted - stored, key=str)[:5]}, "
            f"dropped {sorted(stored - extracted, key=str)[:5]}")


IMPORT = re.compile(r"{%-?\s*(?:from|import)\s+[\"']([^\"']+)[\"']")
TOP_LEVEL_SET = re.compile(r"{%-?\s*set\b.*?%}", re.S)
MACRO = re.compile(r"{%-?\s*macro\b.*?{%-?\s*endmacro\s*-?%}", re.S)


def test_imported_templates_translate_inside_their_macros():
    """A template imported without context is rendered once and kept (Jinja caches the module):
    a translated word in a `{% set %}` at its top would keep the first page's language."""
    templates = catalogues.SOURCE_ROOT / "templates"
    imported = {name for path in templates.rglob("*.html")
                for name in IMPORT.findall(path.read_text(encoding="utf-8"))}
    frozen = [name for name in sorted(imported)
              if any("_(" in statement for statement in TOP_LEVEL_SET.findall(
                  MACRO.sub("", (templates / name).read_text(encoding="utf-8"))))]
    assert not frozen, f"move the translated {{% set %}} into the macros of: {frozen}"
