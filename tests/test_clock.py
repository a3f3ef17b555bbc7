"""The suite's clock (tests/clock.py): fixed for every test, the wall clock for tests that share time."""

import time
from pathlib import Path

import pytest


def _wall_clock(tmp_path: Path) -> float:
    """The kernel's time, which the suite's clock does not move: a fresh file's modification time."""
    probe = tmp_path / "now"
    probe.touch()
    return probe.stat().st_mtime


def test_a_test_runs_at_the_suites_moment_not_the_wall_clock(tmp_path):
    assert abs(time.time() - _wall_clock(tmp_path)) > 3600


@pytest.mark.real_clock
def test_a_real_clock_test_shares_the_wall_clock_with_the_processes_it_starts(tmp_path):
    assert abs(time.time() - _wall_clock(tmp_path)) < 60
