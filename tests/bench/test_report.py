"""The benchmarks' shared report (bench/common.py) and bench/compare.py, without running a benchmark."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"

# A stand-in benchmark: one table, one check, one target; what each argument makes it answer.
SCRIPT = """
import argparse, sys
sys.path.insert(0, {bench!r})
from common import add_options, check, finish, print_table, start_report
parser = argparse.ArgumentParser()
add_options(parser)
parser.add_argument("--right", type=int, default=1)
parser.add_argument("--fast", type=int, default=1)
options = parser.parse_args()
start_report(options)
print_table("t", ["solver", "median s"], [["engine", 0.5 if options.fast else 9.0], ["greedy", float("inf")]])
check("the answer is right", bool(options.right))
finish(bool(options.fast))
"""


def _run(tmp_path: Path, *args: str) -> tuple[int, dict]:
    script = tmp_path / "stand_in.py"
    script.write_text(SCRIPT.format(bench=str(BENCH)))
    report = tmp_path / "report.json"
    result = subprocess.run(  # noqa: S603 - our own stand-in
        [sys.executable, str(script), "--json", str(report), *args], capture_output=True, text=True, check=False
    )
    return result.returncode, json.loads(report.read_text())


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([], 0),
        (["--fast", "0"], 1),  # a missed target fails a full-size run
        (["--fast", "0", "--smoke"], 0),  # ... never a smoke run: timings are not asserted
        (["--right", "0", "--smoke"], 1),  # a wrong answer fails at every size
        (["--right", "0"], 1),
    ],
)
def test_a_wrong_answer_fails_at_every_size_a_missed_target_only_at_full_size(
    tmp_path: Path, args: list[str], code: int
) -> None:
    returncode, report = _run(tmp_path, *args)
    assert returncode == code
    # The report is written on a failure too, with infinity as null (JSON has no infinity).
    engine = 9.0 if "--fast" in args else 0.5
    assert report["tables"][0]["rows"] == [["engine", engine], ["greedy", None]]
    assert report["checks"] == [{"check": "the answer is right", "passed": "--right" not in args}]
    assert report["smoke"] is ("--smoke" in args)


def test_compare_prints_both_runs_and_their_ratio(tmp_path: Path) -> None:
    table = {"title": "Help matching", "header": ["size", "solver", "matched", "median s"]}
    # Two sizes: the size column tells the engine's rows apart.
    rows = [["300", "engine", 300, 0.2], ["3,000", "engine", 3000, 2.0]]
    before = {"script": "matching", "tables": [{**table, "rows": rows}], "checks": []}
    rows = [["300", "engine", 300, 0.1], ["3,000", "engine", 3000, 3.0]]
    after = {"script": "matching", "tables": [{**table, "rows": rows}], "checks": []}
    for name, report in (("before", before), ("after", after)):
        (tmp_path / f"{name}.json").write_text(json.dumps(report))
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BENCH / "compare.py"), str(tmp_path / "before.json"), str(tmp_path / "after.json")],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = [line.split() for line in result.stdout.splitlines() if "engine" in line]
    assert lines == [["300", "engine", "0.200", "0.100", "0.50"], ["3,000", "engine", "2.000", "3.000", "1.50"]]
    assert "median after/before over the compared figures: 1.00 (2 figures)" in result.stdout
