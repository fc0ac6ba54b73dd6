"""Languages (issue 21): a user's own choice of language, and the language of each controller
and subcontractor, in which the registry writes to that company.

* `user.language`: NULL follows the browser's Accept-Language.
* `controller.language`, `subcontractor.language`: the company's language for e-mails. Existing
  rows get it from their country: Finland fi, Sweden and Åland sv, every other country en.

Both company tables are engine tables. On SQLite peewee adds a NOT NULL column by copying the
table, and the copy has no triggers, so both directions put their revision triggers back. On
PostgreSQL the backfill's deferred triggers are fired before NOT NULL is set: pending trigger
events forbid altering a table.
"""
from peewee import *

from registry.revision import install_revision_triggers, remove_revision_triggers

LANGUAGE_CHECK = "language IN ('en', 'fi', 'sv')"
COUNTRY_LANGUAGES = {'FI': 'fi', 'SE': 'sv', 'AX': 'sv'}
COMPANY_TABLES = ('controller', 'subcontractor')


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('user', 'language', CharField(
            max_length=2, null=True, constraints=[Check(f"language IS NULL OR {LANGUAGE_CHECK}")])),
        *(migrator.add_column(table, 'language', CharField(
            max_length=2, null=True, constraints=[Check(LANGUAGE_CHECK)]))
          for table in COMPANY_TABLES),
    )
    for table in COMPANY_TABLES:
        company = _company_model(db, table)
        for country, language in COUNTRY_LANGUAGES.items():
            company.update(language=language).where(company.country == country).execute()
        company.update(language='en').where(company.language.is_null()).execute()
    if not isinstance(db, SqliteDatabase):
        db.execute_sql('SET CONSTRAINTS ALL IMMEDIATE')  # fire the updates' triggers now
    migrator.migrate(*(migrator.add_not_null(table, 'language') for table in COMPANY_TABLES))
    _restore_company_triggers(db)


def down(migrator, db):
    migrator.migrate(
        *(migrator.drop_column(table, 'language') for table in COMPANY_TABLES),
        migrator.drop_column('user', 'language'),
    )
    _restore_company_triggers(db)


def _company_model(db, table):
    class Company(Model):
        country = CharField(max_length=2)
        language = CharField(max_length=2, null=True)

        class Meta:
            database = db
            table_name = table

    return Company


def _restore_company_triggers(db):
    if isinstance(db, SqliteDatabase):
        for table in COMPANY_TABLES:
            remove_revision_triggers(db, table)
            install_revision_triggers(db, table)
