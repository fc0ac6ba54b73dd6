"""`dpa-registry import` and `export` from the command line, including bad input."""

import json

from openpyxl import load_workbook

from registry.models import AuditEvent, Controller
from tests.interchange.samples import sample_document


def write_json(path, document):
    """Write `document` as a JSON file and return its path as text."""
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def test_import_prints_what_it_created_then_what_it_left_alone(runner, tmp_path):
    path = write_json(tmp_path / "registry.json", sample_document())

    first = runner.invoke(args=["import", path])
    second = runner.invoke(args=["import", path])

    assert first.exit_code == 0, first.output
    assert "controllers: 2 created, 0 updated, 0 unchanged" in first.output
    assert f"imported {path}" in first.output
    assert second.exit_code == 0
    assert "attestations: 0 created, 0 updated, 2 unchanged" in second.output
    assert "nothing changed" in second.output
    assert AuditEvent.select().where(AuditEvent.action == "registry.import").count() == 2
    assert AuditEvent.get(AuditEvent.action == "registry.import").actor_label == "cli"


def test_dry_run_writes_nothing(runner, tmp_path):
    path = write_json(tmp_path / "registry.json", sample_document())

    result = runner.invoke(args=["import", path, "--dry-run"])

    assert result.exit_code == 0
    assert "dpas: 3 created" in result.output
    assert "dry run: nothing was written" in result.output
    assert Controller.select().count() == 0


def test_invalid_input_lists_every_problem_and_exits_1(runner, tmp_path):
    document = sample_document()
    document["dpas"][0]["signed_on"] = "yesterday"
    document["engagements"][1]["controller"] = "c-unknown"
    path = write_json(tmp_path / "registry.json", document)

    result = runner.invoke(args=["import", path])

    assert result.exit_code == 1
    assert "2 problem(s); nothing was imported" in result.output
    assert "dpas[0].signed_on: bad date 'yesterday': expected YYYY-MM-DD\n" in result.output
    assert "engagements[1].controller: unknown controller key 'c-unknown'\n" in result.output
    assert Controller.select().count() == 0


def test_a_file_that_is_not_json_is_one_clear_line(runner, tmp_path):
    path = tmp_path / "registry.json"
    path.write_text('{"format": "dpa-registry/1",\n "controllers": [}', encoding="utf-8")

    result = runner.invoke(args=["import", str(path)])

    assert result.exit_code == 1
    assert result.output == (
        "error: registry.json is not valid JSON: Expecting value at line 2, column 18\n"
    )


def test_a_damaged_workbook_is_one_clear_line(runner, tmp_path):
    path = tmp_path / "registry.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")

    result = runner.invoke(args=["import", str(path)])

    assert result.exit_code == 1
    assert result.output == "error: registry.xlsx is not a readable .xlsx workbook\n"


def test_an_empty_document_says_so(runner, tmp_path):
    path = write_json(tmp_path / "empty.json", {"format": "dpa-registry/1"})

    result = runner.invoke(args=["import", path])

    assert result.exit_code == 0
    assert result.output.endswith(f"{path} holds no records; nothing changed\n")


def test_import_without_a_file_is_a_usage_error(runner):
    result = runner.invoke(args=["import"])

    assert result.exit_code == 2
    assert "give FILE.json, FILE.xlsx, a <record type>.csv or a folder" in result.output


def test_template_writes_the_workbook(runner, tmp_path):
    path = tmp_path / "template.xlsx"

    result = runner.invoke(args=["import", "--template", str(path)])

    assert result.exit_code == 0
    assert "controllers" in load_workbook(path).sheetnames


def test_export_to_a_file_and_to_standard_output(runner, tmp_path):
    runner.invoke(args=["import", write_json(tmp_path / "in.json", sample_document())])
    output = tmp_path / "out.json"

    to_file = runner.invoke(args=["export", "-o", str(output)])
    to_stdout = runner.invoke(args=["export"])

    assert to_file.exit_code == 0
    assert "exported 2 controllers, 3 dpas, 2 instructions" in to_file.output
    exported = json.loads(output.read_text(encoding="utf-8"))
    assert json.loads(to_stdout.output) == exported
    assert exported["controllers"][1]["name"] == "Grüne Gutscheine GmbH"


def test_export_with_documents_then_import_them(runner, tmp_path):
    runner.invoke(args=["import", write_json(tmp_path / "in.json", sample_document())])
    folder = tmp_path / "documents"

    result = runner.invoke(args=["export", "-o", str(tmp_path / "out.json"),
                                 "--with-documents", str(folder)])
    again = runner.invoke(args=["import", str(tmp_path / "out.json"), "--documents",
                                str(folder)])

    assert result.exit_code == 0 and folder.is_dir()
    assert again.exit_code == 0, again.output
    assert "nothing changed" in again.output


def test_a_windows_1252_csv_is_one_clear_line_not_a_traceback(runner, tmp_path):
    path = tmp_path / "controllers.csv"
    path.write_bytes("key,name\nc-1,Pääkaupunki Oy\n".encode("cp1252"))
    result = runner.invoke(args=["import", str(path), "--dry-run"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "controllers.csv is not UTF-8 text: line 2" in result.output
    assert "Windows-1252" in result.output


def test_an_ods_file_is_asked_to_be_saved_as_xlsx(runner, tmp_path):
    path = tmp_path / "registry.ods"
    path.write_bytes(b"PK\x03\x04 an OpenDocument spreadsheet")
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    assert "registry.ods is an OpenDocument spreadsheet (LibreOffice)" in result.output
    assert "save it as .xlsx" in result.output
