"""The benchmark scripts still run: bench/pages.py and bench/load.py at a tiny size on SQLite.

No timing is checked (figures belong in bench/README.md); only that every page answers, that
users sign in through the real forms against real server processes, and that nothing errs.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*arguments):
    result = subprocess.run([sys.executable, *arguments], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return result.stdout


def test_pages_benchmark_times_every_page_at_a_tiny_size():
    output = _run("bench/pages.py", "--backend", "sqlite", "--scale", "0.002",
                  "--after-write", "1")
    for page in ("review queue", "alerts", "audit trail", "portal: home",
                 "portal: validity preview", "the write itself"):
        assert page in output, output


def test_load_benchmark_signs_users_in_and_runs_open_and_closed_loops():
    output = _run("bench/load.py", "--backend", "sqlite", "--scale", "0.002", "--processes",
                  "1", "--threads", "2", "--users", "2", "--concurrency", "2", "--duration", "1",
                  "--saturation-duration", "1", "--write-every", "0.5",
                  "--phases", "open+writer,closed")
    assert "3 users signed in" in output, output
    lines = {line.split()[0]: line.split() for line in output.splitlines() if line.strip()}
    # phase, seconds, sent, answers, errors, ...
    assert lines["open+writer"][4] == "0" and lines["closed"][4] == "0", output
    assert int(lines["closed"][3]) > 0, output
