"""The instance folder's secrets and the SQLite database are created readable by their owner only.

Before, the SQLite file (and its -wal and -shm) got the umask's 0644, and the generated secrets
were written world-readable first and narrowed to 0600 only afterwards.
"""

import logging
import os
import stat

import pytest

from registry import create_app
from registry.extensions import database
from registry.instance import prepare_sqlite_file, write_private
from tests.conftest import base_config


def _mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    """Run with the common umask 022, under which new files are world-readable by default."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_fresh_development_instance_is_private(tmp_path, monkeypatch, open_umask):
    instance = tmp_path / "instance"
    monkeypatch.setenv("REGISTRY_INSTANCE_PATH", str(instance))
    config = {**base_config(tmp_path, f"sqlite:///{instance / 'registry.sqlite3'}"),
              "SECRET_KEY": None, "TOTP_KEY": None, "AUDIT_KEY": None}
    app = create_app(config)
    with app.app_context(), database.connection_context():
        database.execute_sql("CREATE TABLE probe (id INTEGER)")
        database.execute_sql("INSERT INTO probe VALUES (1)")
        assert _mode(instance) == 0o700
        for name in ("secret_key", "totp_key", "audit_key", "registry.sqlite3",
                     "registry.sqlite3-wal", "registry.sqlite3-shm"):
            assert _mode(instance / name) == 0o600, name
    assert len((instance / "secret_key").read_text()) >= 48


def test_a_database_outside_the_instance_folder_is_private_too(tmp_path, open_umask):
    path = tmp_path / "data" / "registry.sqlite3"
    prepare_sqlite_file(f"sqlite:///{path}")
    assert _mode(path) == 0o600 and path.stat().st_size == 0
    prepare_sqlite_file("sqlite:///:memory:")
    prepare_sqlite_file("postgresql://postgres@127.0.0.1/test")


def test_an_existing_open_database_is_reported_not_changed(tmp_path, caplog, open_umask):
    path = tmp_path / "registry.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="registry.instance"):
        prepare_sqlite_file(f"sqlite:///{path}")
    assert "can be read by other users" in caplog.text
    assert _mode(path) == 0o644


def test_a_secret_is_never_written_through_an_existing_file_or_link(tmp_path):
    planted = tmp_path / "planted"
    planted.write_text("")
    (tmp_path / "secret_key").symlink_to(planted)
    with pytest.raises(FileExistsError):
        write_private(tmp_path / "secret_key", "s3cret")
    assert planted.read_text() == ""
