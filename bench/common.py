"""Helpers shared by the benchmarks: timing, tables and throw-away databases."""

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VEERKRACHT = str(Path(sys.executable).with_name("veerkracht"))
MAINTENANCE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def timed(run: Callable[[], object], repeats: int) -> list[float]:
    """Wall-clock seconds of each of ``repeats`` runs."""
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return seconds


def summary(seconds: Sequence[float]) -> tuple[float, float, float]:
    return min(seconds), statistics.median(seconds), max(seconds)


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """A plain-text table, right-aligned numbers."""
    cells = [list(map(str, header))] + [[f"{v:,.3f}" if isinstance(v, float) else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  ".join(value.rjust(width) for value, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def veerkracht(*args: str, env: dict[str, str]) -> None:
    """Run the project's command with the given environment; stop the benchmark if it fails."""
    subprocess.run([VEERKRACHT, *args], env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def postgres_available() -> bool:
    import psycopg

    try:
        with psycopg.connect(MAINTENANCE_URL, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


@contextmanager
def postgres_database(name: str, *, drop: bool = True) -> Iterator[str]:
    """A fresh PostgreSQL database for the benchmark, dropped afterwards unless not to; yields its URL."""
    import psycopg

    with psycopg.connect(MAINTENANCE_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    base = MAINTENANCE_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        if drop:
            with psycopg.connect(MAINTENANCE_URL, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
