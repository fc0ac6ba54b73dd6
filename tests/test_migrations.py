"""The migrated schema equals the models, on SQLite and PostgreSQL."""

import pytest
from peewee import IntegrityError
from playhouse.schema_diff import diff_models

from registry import migrate
from registry.extensions import database
from registry.models import MODELS, Controller


def _columns(table):
    return {
        column.name: (column.data_type.lower(), column.null, column.primary_key)
        for column in database.get_columns(table)
    }


def _foreign_keys(table):
    return {(fk.column, fk.dest_table, fk.dest_column) for fk in database.get_foreign_keys(table)}


def test_migrated_schema_has_no_difference_from_the_models(app):
    assert not diff_models(database.obj, list(MODELS)), str(diff_models(database.obj, list(MODELS)))


def test_migrated_columns_and_foreign_keys_match_tables_created_from_the_models(app, tmp_path):
    migrated = {
        model._meta.table_name: (_columns(model._meta.table_name),
                                 _foreign_keys(model._meta.table_name))
        for model in MODELS
    }
    with database.atomic() as transaction:
        database.drop_tables(list(MODELS), cascade=not database_is_sqlite())
        database.create_tables(list(MODELS))
        from_models = {
            model._meta.table_name: (_columns(model._meta.table_name),
                                     _foreign_keys(model._meta.table_name))
            for model in MODELS
        }
        transaction.rollback()
    assert migrated == from_models


def database_is_sqlite():
    from registry.db import is_sqlite

    return is_sqlite()


def test_upgrade_twice_applies_nothing_the_second_time(app):
    assert migrate.upgrade() == []
    assert migrate.pending() == []
    assert [name for name, _ in migrate.status()][0] == "0001_initial"


def test_check_constraints_exist_in_the_migrated_schema(app):
    with pytest.raises(IntegrityError), database.atomic():
        Controller.create(key="c1", name="Acme Oy", status="paused")
