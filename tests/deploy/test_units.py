"""The systemd units in deploy/systemd name commands that exist, with options they accept."""

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("dpa-registry-*"))
INSTALLED_BIN = "/opt/dpa-registry/bin"
EXEC_KEYS = ("ExecStartPre", "ExecStart", "ExecStartPost", "ExecReload")


def exec_lines(unit):
    """Return the command lines of a unit's Exec*= settings, split like a shell would."""
    lines = []
    for line in unit.read_text().splitlines():
        key, _, value = line.partition("=")
        if key in EXEC_KEYS:
            words = shlex.split(value)
            if words[:2] == ["/bin/sh", "-c"]:
                words = shlex.split(words[2])
            lines.append(words[1:] if words[0] == "exec" else words)
    return lines


def registry_invocations():
    """Return (unit name, arguments after dpa-registry) for every dpa-registry Exec line."""
    return [(unit.name, words[1:]) for unit in UNITS for words in exec_lines(unit)
            if words[0] == f"{INSTALLED_BIN}/dpa-registry"]


def _resolve(group, arguments, context):
    """Return the command and its remaining arguments (click's own lookup)."""
    command, rest = group, list(arguments)
    while isinstance(command, click.Group):
        name, rest = rest[0], rest[1:]
        command = command.get_command(context, name)
        assert command is not None, f"no command {name!r}"
    return command, rest


def test_the_units_are_the_expected_set():
    names = {unit.name for unit in UNITS}
    assert {"dpa-registry-web.service", "dpa-registry-web-gunicorn.service",
            "dpa-registry-worker.service", "dpa-registry-backup.service",
            "dpa-registry-backup.timer"} <= names
    for timer in (name for name in names if name.endswith(".timer")):
        assert timer.replace(".timer", ".service") in names  # each timer starts its service


@pytest.mark.parametrize(("unit", "arguments"), registry_invocations(),
                         ids=lambda value: value if isinstance(value, str) else " ".join(value))
def test_every_dpa_registry_command_line_parses(app, unit, arguments):
    context = click.Context(app.cli, obj=None)
    command, rest = _resolve(app.cli, arguments, context)

    parsed = command.make_context(command.name, rest, parent=context)

    assert parsed.command is command, unit


def test_the_gunicorn_unit_uses_the_packaged_settings():
    unit = DEPLOY / "systemd" / "dpa-registry-web-gunicorn.service"
    (command,) = [words for words in exec_lines(unit) if words[0].endswith("/gunicorn")]
    module = command[command.index("-c") + 1].removeprefix("python:")
    settings = subprocess.run([sys.executable, "-c", f"import {module} as s; print(s.wsgi_app)"],
                              capture_output=True, text=True, check=True)
    assert settings.stdout.strip() == "registry:create_app()"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is absent")
def test_systemd_accepts_every_unit(tmp_path):
    """Run `systemd-analyze verify` on copies that point at this environment's executables."""
    here = str(Path(sys.executable).parent)
    for unit in UNITS:
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALLED_BIN, here))
    copies = sorted(str(path) for path in tmp_path.iterdir())

    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *copies],
                            capture_output=True, text=True, timeout=120)

    assert result.returncode == 0 and result.stderr == "", result.stderr
