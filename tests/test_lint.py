"""The code passes pyflakes: no undefined names, unused imports or variables, f-strings without placeholders."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_pyflakes_finds_nothing():
    dirs = [d for d in ("pipeline", "dags", "tests", "benchmarks", "tools") if (REPO / d).is_dir()]
    p = subprocess.run([sys.executable, "-m", "pyflakes", *dirs], cwd=REPO, capture_output=True, text=True,
                       timeout=300)
    assert p.returncode == 0 and not p.stdout.strip(), p.stdout + p.stderr
