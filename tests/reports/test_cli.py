"""`dpa-registry report ...` writes the PDF and refuses bad input with one clear line."""

import pytest

from tests.reports.factories import build_registry, normalised, read_pdf


@pytest.mark.parametrize("kind", ["compliance", "subprocessors", "processing-record",
                                  "dpa-register"])
def test_report_command_writes_the_pdf(app, runner, tmp_path, kind):
    registry = build_registry()
    output = tmp_path / f"{kind}.pdf"
    result = runner.invoke(args=["report", kind, "--controller", str(registry.aakerlund.id),
                                 "--today", "2026-11-25", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {output} (")
    _, text, _ = read_pdf(output.read_bytes())
    assert "Åkerlund & Söner Ab" in text
    assert "As of 2026-11-25" in normalised(text)


def test_whole_registry_report_without_controller(app, runner, tmp_path):
    build_registry()
    output = tmp_path / "register.pdf"
    result = runner.invoke(args=["report", "dpa-register", "--today", "2026-11-25",
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "Hämeen Urheiluseura ry" in normalised(read_pdf(output.read_bytes())[1])


def test_unknown_controller_is_one_clear_line(app, runner, tmp_path):
    output = tmp_path / "x.pdf"
    result = runner.invoke(args=["report", "compliance", "--controller", "4242", "-o", str(output)])
    assert result.exit_code == 2
    assert result.output.strip() == "error: no controller has id 4242"
    assert not output.exists()


def test_subprocessor_list_without_controller_is_refused(app, runner, tmp_path):
    result = runner.invoke(args=["report", "subprocessors", "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert "made for one controller: pass --controller ID" in result.output


@pytest.mark.parametrize("arguments, message", [
    (["--today", "25.11.2026"], "is not a date in the form YYYY-MM-DD"),
    (["--controller", "abc"], "'abc' is not a valid integer"),
])
def test_malformed_options_are_refused(app, runner, tmp_path, arguments, message):
    result = runner.invoke(args=["report", "compliance", *arguments, "-o", str(tmp_path / "x.pdf")])
    assert result.exit_code == 2
    assert message in result.output


def test_a_full_disk_leaves_the_old_report_and_no_part_file(app, runner, tmp_path, monkeypatch):
    import errno

    from registry import files

    registry = build_registry()
    folder = tmp_path / "reports"
    folder.mkdir()
    output = folder / "dpa-register.pdf"
    output.write_bytes(b"last week's report")

    def no_space(_path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_sync_file", no_space)
    result = runner.invoke(args=["report", "dpa-register", "--controller",
                                 str(registry.aakerlund.id), "-o", str(output)])
    assert result.exit_code == 2
    assert "is full: dpa-register.pdf was not written" in result.output
    assert [path.name for path in folder.iterdir()] == ["dpa-register.pdf"]
    assert output.read_bytes() == b"last week's report"
