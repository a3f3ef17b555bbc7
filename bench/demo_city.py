"""How long `veerkracht demo` takes to build the demo city, on SQLite and on PostgreSQL.

The issue's target: 100,000 residents in under 60 s on a 2-core machine. Each run starts from an
empty, migrated database; only the `demo` command itself is timed.
"""

import argparse
import tempfile
from functools import partial
from pathlib import Path

from common import postgres_available, postgres_database, print_table, summary, timed, veerkracht

BASE_ENV = {"DEBUG": "0", "DEMO_MODE": "1", "SECRET_KEY": "bench-secret-key", "VEERKRACHT_TESTING": "0"}


def _sqlite_runs(residents: int, repeats: int) -> list[float]:
    seconds = []
    for run in range(repeats):
        with tempfile.TemporaryDirectory() as folder:
            env = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{Path(folder) / f'bench{run}.sqlite3'}"}
            veerkracht("migrate", "-v0", env=env)
            seconds += timed(partial(veerkracht, "demo", "--residents", str(residents), env=env), 1)
    return seconds


def _postgres_runs(residents: int, repeats: int) -> list[float]:
    seconds = []
    for run in range(repeats):
        with postgres_database(f"vk_bench_demo_{run}") as url:
            env = {**BASE_ENV, "DATABASE_URL": url}
            veerkracht("migrate", "-v0", env=env)
            seconds += timed(partial(veerkracht, "demo", "--residents", str(residents), env=env), 1)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    rows = []
    backends = [("SQLite", _sqlite_runs)]
    if postgres_available():
        backends.append(("PostgreSQL", _postgres_runs))
    for name, runs in backends:
        fastest, median, slowest = summary(runs(options.residents, options.repeats))
        rows.append((name, options.residents, fastest, median, slowest, f"{options.residents / median:,.0f}"))
    print_table(
        f"Demo city build, {options.residents:,} residents, {options.repeats} runs (target: under 60 s)",
        ["database", "residents", "min s", "median s", "max s", "residents/s"],
        rows,
    )


if __name__ == "__main__":
    main()
