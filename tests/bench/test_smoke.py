"""Every benchmark in bench/ at its smoke size, so that none of them rots between releases (issue 27).

Each script runs as its own process, as ``make bench`` runs it, with ``--smoke --json``: a crash,
a wrong answer (a failed check: the matching engine not optimal, the worklist not equal to its
baseline, a plan over its budget) or a broken table (no rows, a row that does not fit its header)
fails the test. Timings are never asserted: the machine is shared. The scripts that need
PostgreSQL run when DATABASE_URL points at it (as the suite's own role, which needs CREATEDB
only); on SQLite they are skipped, and CI runs them in its PostgreSQL pass. The others run in the
SQLite pass only, so that the PostgreSQL pass stays within its minutes.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
# The suite's settings are for the test process only; a benchmark sets up its own.
TEST_ONLY = {"DEBUG", "VEERKRACHT_TESTING", "SECRET_KEY", "DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
TEST_ONLY |= {"DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS"}
SMOKE_TIMEOUT_S = 300  # far above a smoke run's seconds; only a hang gets here

# (script, needs PostgreSQL); faults.py is not here: see bench/README.md.
SCRIPTS = [
    ("demo_city", False),
    ("matching", False),
    ("routing", False),
    ("import_residents", False),
    ("geography_import", False),
    ("job_faults", False),
    ("out_of_sight", True),
    ("insights", True),
    ("load", True),
    ("load_pages", True),
]
pytestmark = [pytest.mark.real_clock, pytest.mark.bench]


def run_smoke(script: str, report: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY}
    return subprocess.run(  # noqa: S603 - our own script, fixed arguments
        [sys.executable, str(BENCH / f"{script}.py"), "--smoke", "--json", str(report), *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SMOKE_TIMEOUT_S,
        check=False,
    )


def assert_sound(report: dict[str, Any]) -> None:
    """Tables with rows that fit their headers, checks made and all passed."""
    assert report["smoke"] is True
    assert report["tables"], "the benchmark printed no table"
    for table in report["tables"]:
        assert table["rows"], f"{table['title']}: no rows"
        for row in table["rows"]:
            assert len(row) == len(table["header"]), f"{table['title']}: {row} does not fit {table['header']}"
    assert report["checks"], "the benchmark checked none of its answers"
    wrong = [entry["check"] for entry in report["checks"] if not entry["passed"]]
    assert not wrong, f"wrong answers: {wrong}"


@pytest.mark.parametrize(("script", "needs_postgres"), SCRIPTS, ids=[script for script, _ in SCRIPTS])
def test_benchmark_runs_at_its_smoke_size(script: str, needs_postgres: bool, tmp_path: Path) -> None:
    if needs_postgres and not ON_POSTGRES:
        pytest.skip(f"bench/{script}.py needs PostgreSQL: it runs when DATABASE_URL points at it (as on CI)")
    if ON_POSTGRES and not needs_postgres:
        pytest.skip(f"bench/{script}.py runs in the SQLite pass; the PostgreSQL pass keeps its minutes for the rest")
    report = tmp_path / f"{script}.json"
    result = run_smoke(script, report)
    output = f"stdout:\n{result.stdout[-4000:]}\nstderr:\n{result.stderr[-4000:]}"
    assert result.returncode == 0, output
    assert report.exists(), output
    assert_sound(json.loads(report.read_text()))


def test_every_script_is_smoked_or_excused() -> None:
    """A new benchmark joins SCRIPTS (or the excused list, with its reason in bench/README.md)."""
    helpers = {"common", "compare", "matching_cities", "routing_alternatives", "load_users", "load_city"}
    excused = {"faults"}  # it restarts the shared PostgreSQL cluster
    scripts = {path.stem for path in BENCH.glob("*.py")} - helpers - excused
    assert scripts == {script for script, _ in SCRIPTS}
