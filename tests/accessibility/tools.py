"""The checkers nobody here wrote: axe-core (npm) and the Nu HTML Checker (npm vnu-jar + Java).

Both live in the git-ignored tests/.node folder. `.ci/run` installs them; a developer's first run
installs them too when npm is there. In CI (CI=true) a missing checker fails the tests; on a
developer's machine without npm or Java they skip, naming what to install.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

NODE_FOLDER = Path(__file__).resolve().parents[1] / ".node"
MODULES = NODE_FOLDER / "node_modules"
AXE = MODULES / "axe-core" / "axe.min.js"
VNU = MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
NPM_PACKAGES = ("axe-core@4", "vnu-jar@26")


def missing(reason):
    """Fail in CI, where every checker must run; skip elsewhere with `reason`."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI must run every accessibility check; see .ci/run)")
    pytest.skip(reason)


def _install_npm_packages():
    npm = shutil.which("npm")
    if npm is None:
        return
    # --ignore-scripts: vnu-jar's install script would download a Java; Debian's is used.
    subprocess.run([npm, "install", "--prefix", str(NODE_FOLDER), "--ignore-scripts",
                    "--no-audit", "--no-fund", *NPM_PACKAGES],
                   check=False, capture_output=True, timeout=300)


def checker_files():
    """Return (axe.min.js source, vnu.jar path), installing them first if npm can."""
    if not (AXE.is_file() and VNU.is_file()):
        _install_npm_packages()
    if not AXE.is_file() or not VNU.is_file():
        missing(f"axe-core and vnu-jar are not installed: npm install --prefix {NODE_FOLDER} "
                f"--ignore-scripts {' '.join(NPM_PACKAGES)}")
    if shutil.which("java") is None:
        missing("Java is not installed (Debian: apt-get install default-jre-headless)")
    return AXE.read_text(encoding="utf-8"), VNU


def nu_errors(folder):
    """Check every .html file in `folder` with the Nu HTML Checker in one run.

    Returns {file name: [message, ...]} of its errors (warnings and info are left out).
    """
    result = subprocess.run(
        ["java", "-Xss8m", "-jar", str(VNU), "--format", "json", "--errors-only",
         "--skip-non-html", "--exit-zero-always", str(folder)],
        capture_output=True, text=True, timeout=600, check=True)
    errors = {}
    for message in json.loads(result.stderr)["messages"]:
        name = Path(message.get("url", "")).name
        where = f"line {message.get('lastLine', '?')}"
        errors.setdefault(name, []).append(
            f"{where}: {message['message']} [{message.get('extract', '').strip()[:120]}]")
    return errors
