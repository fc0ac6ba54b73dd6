"""Driving LibreOffice Calc headless (Debian's libreoffice-calc) to convert spreadsheets."""

import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice")
TIMEOUT_SECONDS = 180
# CSV filter options, by position: separators (44 comma, 59 semicolon), text delimiter (34 "),
# character set (76 UTF-8), first line, column formats, language (1033 en-US, where 1/2 is a
# date), quoted field as text, detect special numbers (dates, as Excel always does).
OPENED_AS_TEXT = "CSV:44/59,34,76,1,,1033,true,true"
OPENED_WITH_DETECTION = "CSV:44/59,34,76,1,,1033,false,true"
# Writing CSV: comma, ", UTF-8, and token 12 = -1 writes every sheet to <name>-<sheet>.csv.
WRITE_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"

needs_libreoffice = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install "
                                               "libreoffice-calc); the round trip needs soffice"),
]


def convert(profile, outdir, target, files, infilter=None):
    """Convert `files` into `outdir` with `soffice --convert-to target`; fail on any error."""
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
               "--norestore", "--convert-to", target, "--outdir", str(outdir)]
    if infilter:
        command.append(f"--infilter={infilter}")
    result = subprocess.run([*command, *map(str, files)], capture_output=True, text=True,
                            timeout=TIMEOUT_SECONDS, check=False)
    assert result.returncode == 0, result.stderr
    return outdir
