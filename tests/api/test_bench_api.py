"""bench/api.py still runs: every API request it times answers, at a tiny size on SQLite."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_api_benchmark_times_every_request_at_a_tiny_size():
    result = subprocess.run(
        [sys.executable, "bench/api.py", "--backend", "sqlite", "--scale", "0.002",
         "--after-write", "1"], cwd=ROOT, capture_output=True, text=True, timeout=180,
        check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    for request in ("findings, first page (50)", "findings of one subcontractor",
                    "attestations awaiting review"):
        assert request in result.stdout, result.stdout
