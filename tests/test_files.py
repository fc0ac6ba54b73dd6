"""Files are written whole or not at all (registry/files.py)."""

import errno
import stat

import pytest

from registry import files


def _names(folder):
    return sorted(path.name for path in folder.iterdir())


def test_a_written_file_is_complete_and_private(tmp_path):
    target = tmp_path / "backup.bin"
    files.write_atomically(target, b"all of it")
    assert target.read_bytes() == b"all of it"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _names(tmp_path) == ["backup.bin"]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_no_space_mid_write_keeps_the_old_file_and_leaves_no_part_file(tmp_path, code):
    target = tmp_path / "export.json"
    target.write_text("yesterday")
    with pytest.raises(files.DiskFull, match="is full: export.json was not written"), \
            files.atomic_path(target) as temporary:
        temporary.write_text("half of tod")
        raise OSError(code, "No space left on device")
    assert target.read_text() == "yesterday"
    assert _names(tmp_path) == ["export.json"]


def test_any_other_error_also_removes_the_temporary_file(tmp_path):
    target = tmp_path / "report.pdf"
    with pytest.raises(ValueError), files.atomic_path(target) as temporary:
        temporary.write_bytes(b"%PDF-")
        raise ValueError("typesetting failed")
    assert _names(tmp_path) == []


def test_export_on_a_full_disk_writes_nothing(app, runner, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()

    def no_space(_path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files, "_sync_file", no_space)
    result = runner.invoke(args=["export", "-o", str(folder / "registry.json")])
    assert result.exit_code == 2
    assert "is full: registry.json was not written" in result.output
    assert _names(folder) == []
