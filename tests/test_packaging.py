"""A wheel (`pip install .`, not editable) carries every package, template, asset, migration."""

import configparser
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _declared_packages():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    return {line.strip() for line in config["options"]["packages"].splitlines() if line.strip()}


def test_every_python_package_is_declared_in_setup_cfg():
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "registry").rglob("__init__.py")
    }
    assert found - _declared_packages() == set()


def test_the_wheel_carries_templates_static_files_and_migrations(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path),
         str(ROOT)],
        check=True, capture_output=True,
    )
    [wheel] = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder, prefix in (("templates", "registry/templates/"), ("static", "registry/static/"),
                           ("migrations", "registry/migrations/")):
        expected = {
            prefix + str(path.relative_to(ROOT / folder))
            for path in (ROOT / folder).rglob("*")
            if path.is_file() and "__pycache__" not in path.parts
        }
        assert expected <= names, sorted(expected - names)[:5]
    assert "registry/compliance/engine.py" in names
    catalogues = {str(path.relative_to(ROOT))
                  for path in (ROOT / "registry" / "translations").rglob("*.po")}
    assert catalogues and catalogues <= names, sorted(catalogues - names)[:5]
