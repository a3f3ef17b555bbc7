"""How long `veerkracht demo` takes to build the demo city, on SQLite and on PostgreSQL.

The issue's target: 100,000 residents in under 60 s on a 2-core machine. Each run starts from an
empty, migrated database; only the `demo` command itself is timed. PostgreSQL is measured when
it answers (``BENCH_DATABASE_URL`` or a PostgreSQL ``DATABASE_URL``, else the local superuser);
``--smoke`` (the suite's: 300 residents, one run) uses PostgreSQL only when a URL is given.
Each built city is checked: it has the residents asked for.
"""

import argparse
import tempfile
from contextlib import closing
from functools import partial
from pathlib import Path

import psycopg
from common import (
    add_options,
    check,
    database_name,
    finish,
    postgres_available,
    postgres_database,
    print_table,
    start_report,
    summary,
    timed,
    veerkracht,
)

RESIDENTS_SQL = "SELECT count(*) FROM people_resident"
BASE_ENV = {"DEBUG": "0", "DEMO_MODE": "1", "SECRET_KEY": "bench-secret-key", "VEERKRACHT_TESTING": "0"}


def _sqlite_runs(residents: int, repeats: int) -> list[float]:
    seconds = []
    for run in range(repeats):
        with tempfile.TemporaryDirectory() as folder:
            env = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{Path(folder) / f'bench{run}.sqlite3'}"}
            veerkracht("migrate", "-v0", env=env)
            seconds += timed(partial(veerkracht, "demo", "--residents", str(residents), env=env), 1)
            _check_city("SQLite", _count_sqlite(Path(folder) / f"bench{run}.sqlite3"), residents)
    return seconds


def _count_sqlite(path: Path) -> int:
    import sqlite3

    with closing(sqlite3.connect(path)) as connection:
        return int(connection.execute(RESIDENTS_SQL).fetchone()[0])


def _count_postgres(url: str) -> int:
    with psycopg.connect(url) as connection:
        row = connection.execute(RESIDENTS_SQL).fetchone()
        return int(row[0]) if row else 0


def _check_city(database: str, counted: int, residents: int) -> None:
    check(f"{database}: the demo city has the {residents:,} residents asked for ({counted:,})", counted == residents)


def _postgres_runs(residents: int, repeats: int) -> list[float]:
    seconds = []
    for run in range(repeats):
        with postgres_database(database_name(f"vk_bench_demo_{run}")) as url:
            env = {**BASE_ENV, "DATABASE_URL": url}
            veerkracht("migrate", "-v0", env=env)
            seconds += timed(partial(veerkracht, "demo", "--residents", str(residents), env=env), 1)
            _check_city("PostgreSQL", _count_postgres(url), residents)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    add_options(parser)
    options = parser.parse_args()
    if options.smoke:
        options.residents, options.repeats = 300, 1
    start_report(options)
    rows = []
    backends = [("SQLite", _sqlite_runs)]
    if postgres_available(smoke=options.smoke):
        backends.append(("PostgreSQL", _postgres_runs))
    for name, runs in backends:
        fastest, median, slowest = summary(runs(options.residents, options.repeats))
        rows.append((name, options.residents, fastest, median, slowest, f"{options.residents / median:,.0f}"))
    print_table(
        f"Demo city build, {options.residents:,} residents, {options.repeats} runs (target: under 60 s)",
        ["database", "residents", "min s", "median s", "max s", "residents/s"],
        rows,
    )
    finish()


if __name__ == "__main__":
    main()
