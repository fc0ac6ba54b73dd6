"""`dpa-registry import` and `dpa-registry export`: the registry in and out as dpa-registry/1."""

import json
import sys
from pathlib import Path

import click

from registry.extensions import database
from registry.files import DiskFull, write_atomically
from registry.interchange.exporter import export_document
from registry.interchange.importer import import_source
from registry.interchange.sources import UnreadableFile, load_source
from registry.interchange.spreadsheet import write_template
from registry.models import AttestationType
from registry.seed import ensure_reference_data


def attestation_type_codes():
    """Return the attestation type codes an import may use, in the admin's order."""
    ensure_reference_data()
    return [code for (code,) in AttestationType.select(AttestationType.code)
            .order_by(AttestationType.id).tuples()]


@click.command("import")
@click.argument("path", required=False,
                type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report what would change; write nothing.")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help="Write an empty workbook to fill in (FILE.xlsx) instead of importing.")
@click.option("--documents", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of document files written by `export --with-documents`.")
def import_command(path, dry_run, template, documents):
    """Import FILE.json, FILE.xlsx, one <record type>.csv or a folder of them (all or nothing)."""
    if template:
        with database.connection_context():
            write_template(template, attestation_type_codes())
        click.echo(f"wrote the import template to {template}")
        return
    if path is None:
        raise click.UsageError("give FILE.json, FILE.xlsx, a <record type>.csv or a folder of "
                               "CSV files (or --template FILE.xlsx)")
    try:
        source = load_source(path)
    except UnreadableFile as error:
        click.secho(f"error: {error}", err=True, fg="red")
        sys.exit(1)
    with database.connection_context():
        report = import_source(source, dry_run=dry_run, actor="cli", documents=documents)
    _print_report(report, path)
    sys.exit(0 if report.ok else 1)


def _print_report(report, path):
    if not report.ok:
        click.secho(f"{path}: {len(report.errors)} problem(s); nothing was imported",
                    err=True, fg="red")
        for problem in report.errors:
            click.echo(str(problem), err=True)
        return
    for line in report.summary_lines():
        click.echo(line)
    if not report.record_count:
        click.echo(f"{path} holds no records; nothing changed")
    elif report.dry_run:
        click.echo("dry run: nothing was written")
    elif report.changed:
        click.secho(f"imported {path}", fg="green")
    else:
        click.echo(f"{path}: the registry already holds all of it; nothing changed")


@click.command("export")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the document to FILE.json instead of standard output.")
@click.option("--with-documents", "documents_dir",
              type=click.Path(file_okay=False, path_type=Path),
              help="Also write every document as a file named by its SHA-256 into DIR.")
def export_command(output, documents_dir):
    """Export the whole registry as one dpa-registry/1 JSON document."""
    try:
        with database.connection_context():
            document = export_document(documents_dir=documents_dir)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if output is None:
            click.echo(text, nl=False)
            return
        write_atomically(output, text.encode("utf-8"), mode=0o666)
    except DiskFull as error:
        click.secho(f"error: {error}", err=True, fg="red")
        sys.exit(2)
    counts = ", ".join(f"{len(document[name])} {name}" for name in document if name != "format")
    click.echo(f"exported {counts} to {output}")


commands = [import_command, export_command]
