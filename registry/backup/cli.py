"""`dpa-registry backup -o FILE` and `dpa-registry restore FILE [--force]`."""

from pathlib import Path

import click

from registry.backup.errors import BackupError
from registry.backup.operations import counts, make_backup, restore
from registry.cli_support import fail
from registry.extensions import database
from registry.files import DiskFull


def _size(path):
    size = path.stat().st_size
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{max(1, size // 1024)} KB"


@click.command("backup")
@click.option("-o", "--output", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write (replaced whole when it exists; mode 0600).")
def backup_command(output):
    """Write a consistent snapshot of the whole database to a file.

    SQLite: the online backup API; PostgreSQL: pg_dump --format=custom. Safe while the
    registry runs. The secrets outside the database are not in it: see docs/backup.md.
    """
    with database.connection_context():
        try:
            snapshot = make_backup(output)
        except (BackupError, DiskFull) as error:
            fail(str(error))
        except OSError as error:
            fail(f"cannot write {output}: {error.strerror}")
    click.echo(f"wrote {output} ({snapshot.engine} backup, {_size(output)}, "
               f"schema {snapshot.schema})")


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a database that is not empty (everything in it is lost).")
def restore_command(backup_file, force):
    """Load a backup into an empty database, then bring its schema up to date.

    Stop the web processes and workers first, and start them again afterwards.
    """
    with database.connection_context():
        try:
            snapshot, applied = restore(backup_file, force=force)
        except BackupError as error:
            fail(str(error))
        restored = counts()
    click.echo(f"restored {backup_file} (schema {snapshot.schema}): "
               + ", ".join(f"{number} {name}" for name, number in restored.items()))
    for name in applied:
        click.echo(f"applied {name}")
    click.echo("next: `dpa-registry audit verify` and `dpa-registry check`, then start the "
               "registry again")


commands = [backup_command, restore_command]
