"""Migration 0022: companies get a language from their country, users follow the browser."""

from registry import migrate
from registry.extensions import database
from registry.models import Controller, Subcontractor, User
from registry.revision import read_revision

MIGRATION = "0022_languages"
COUNTRIES = {"FI": "fi", "SE": "sv", "AX": "sv", "DE": "en", "US": "en"}


FILLERS = {"integer": 1, "bigint": 1, "boolean": False, "date": "2025-01-01"}


def _filler(column):
    data_type = column.data_type.lower()
    if data_type.startswith(("datetime", "timestamp")):
        return "2025-01-01 00:00:00"
    return FILLERS.get(data_type, "[]" if column.name.endswith("s") else "")


def _insert(table, values):
    """Insert `values` with SQL, filling the table's other required columns as it is now."""
    row = dict(values)
    for column in database.get_columns(table):
        if column.name not in row and not column.null and not column.primary_key:
            row[column.name] = _filler(column)
    names = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join(database.param for _ in row)
    database.execute_sql(f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
                         list(row.values()))


def _insert_companies_before_the_migration():
    with database.atomic():
        migrate.runner().down(MIGRATION)
    with database.atomic():
        for number, country in enumerate(COUNTRIES):
            _insert("controller", {"key": f"c{number}", "name": f"C {country}", "country": country,
                                   "status": "active"})
            _insert("subcontractor", {"key": f"s{number}", "name": f"S {country}",
                                      "country": country, "status": "active", "risk_tier": "low"})


def test_existing_companies_get_their_country_s_language(app):
    _insert_companies_before_the_migration()

    assert MIGRATION in migrate.upgrade()

    for model in (Controller, Subcontractor):
        languages = {row.country: row.language for row in model.select()}
        assert languages == COUNTRIES, model


def test_users_start_without_a_language_of_their_own(app):
    user = User.create(email="a@example.com", role="legal")

    assert User.get_by_id(user.id).language is None


def test_writes_to_the_companies_still_bump_the_revision_after_the_migration(app):
    _insert_companies_before_the_migration()
    migrate.upgrade()

    for model in (Controller, Subcontractor):
        before = read_revision()
        model.update(language="sv").execute()
        assert read_revision() > before, model
