"""Helpers shared by the benchmarks: timing, tables, the smoke size, the JSON report and throw-away databases.

Every benchmark takes ``--smoke`` (a tiny size that finishes in seconds; tests/bench runs it in the
suite) and ``--json FILE`` (its tables and correctness checks as JSON, for ``bench/compare.py``).
A check is a wrong answer when it fails (the engine not optimal, the worklist not equal to its
baseline): the script then exits non-zero at every size. Targets on time or memory are printed
as PASS/FAIL and decide the exit code only at the full size, never in a smoke run.
"""

import argparse
import atexit
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
VEERKRACHT = str(Path(sys.executable).with_name("veerkracht"))
DEFAULT_MAINTENANCE_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def _explicit_postgres_url() -> str | None:
    """BENCH_DATABASE_URL, else a PostgreSQL DATABASE_URL (the suite's own role, as on CI)."""
    for variable in ("BENCH_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(variable, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return None


# The connection that creates and drops the benchmark's databases: a superuser is not needed, a
# role with CREATEDB is enough (the databases it creates are its own).
MAINTENANCE_URL = _explicit_postgres_url() or DEFAULT_MAINTENANCE_URL
REPORT: dict[str, Any] = {"script": Path(sys.argv[0]).stem, "smoke": False, "tables": [], "checks": []}


def add_options(parser: argparse.ArgumentParser) -> None:
    """The options every benchmark has: ``--smoke`` and ``--json FILE``."""
    parser.add_argument("--smoke", action="store_true", help="a tiny size that finishes in seconds (the suite's)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the tables and checks as JSON")


def start_report(options: argparse.Namespace) -> None:
    """Record the run's options; with ``--json``, write the report when the process ends, also on a failure."""
    REPORT["smoke"] = bool(options.smoke)
    REPORT["options"] = {key: _plain(_unsecret(value)) for key, value in vars(options).items() if key != "json"}
    REPORT["started_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    if options.json:
        path = Path(options.json)
        atexit.register(lambda: path.write_text(json.dumps(REPORT, indent=1) + "\n"))


def check(statement: str, passed: bool) -> bool:
    """A correctness check (not a timing): printed, recorded, and failing the run when not passed."""
    REPORT["checks"].append({"check": statement, "passed": passed})
    print(f"{'ok' if passed else 'WRONG'}: {statement}", flush=True)
    return passed


def checks_passed() -> bool:
    return all(entry["passed"] for entry in REPORT["checks"])


def finish(targets_met: bool = True) -> None:
    """Exit: non-zero on a wrong answer; on a missed target only at the full size."""
    REPORT["targets_met"] = targets_met
    wrong = not checks_passed()
    if wrong:
        print("\nWRONG ANSWER: " + "; ".join(e["check"] for e in REPORT["checks"] if not e["passed"]))
    raise SystemExit(1 if wrong or (not targets_met and not REPORT["smoke"]) else 0)


def _unsecret(value: object) -> object:
    """A database URL without its password: the report is a file to share, the password is not."""
    if isinstance(value, str) and "://" in value:
        parts = urlsplit(value)
        if parts.password:
            return value.replace(f":{parts.password}@", ":***@", 1)
    return value


def _plain(value: object) -> object:
    """A JSON value: infinities and NaN as null, paths and other objects as text."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return str(value)


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
    REPORT["tables"].append({"title": title, "header": list(map(str, header)), "rows": [_plain(list(r)) for r in rows]})
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  ".join(value.rjust(width) for value, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def veerkracht(*args: str, env: dict[str, str]) -> None:
    """Run the project's command with the given environment; stop the benchmark if it fails."""
    subprocess.run([VEERKRACHT, *args], env={**os.environ, **env}, check=True, stdout=subprocess.DEVNULL)  # noqa: S603


def database_name(base: str) -> str:
    """The benchmark's database name, with the role's name when it is not postgres.

    Several roles on one cluster (helpers, CI jobs) then never drop each other's databases.
    """
    role = urlsplit(MAINTENANCE_URL).username
    return base if role in (None, "postgres") else f"{base}_{role}"


def postgres_available(*, smoke: bool = False) -> bool:
    """Whether the maintenance connection works; a smoke run uses PostgreSQL only when a URL is given."""
    import psycopg

    if smoke and _explicit_postgres_url() is None:
        return False

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
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    base = MAINTENANCE_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        if drop:
            with psycopg.connect(MAINTENANCE_URL, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
