"""How long `veerkracht import residents` takes for a file of 100,000 residents, on SQLite and PostgreSQL.

The issue's target: 100,000 residents in under 10 minutes. Each run starts from an empty, migrated
database with an organisation, the sample neighbourhoods (docs/examples/buurten.geojson) and an
address file with one address per resident; the residents' import is timed, then the same file
is imported again (timed too: the monthly refresh from the previous system). Each run is
checked: every row imported (as many residents as rows, none refused), and the second import
changed nothing (no row created or updated, every resident's row the same as before it).
PostgreSQL is measured when it answers; ``--smoke`` (the suite's: 200 residents, one run) uses it
only when a URL is given (``BENCH_DATABASE_URL`` or a PostgreSQL ``DATABASE_URL``).
"""

import argparse
import hashlib
import sqlite3
import tempfile
import time
from contextlib import closing
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
    veerkracht,
)

BASE_ENV = {"DEBUG": "0", "DEMO_MODE": "1", "SECRET_KEY": "bench-secret-key", "VEERKRACHT_TESTING": "0"}
EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
# The sample neighbourhoods: four squares of 1 km from (150000, 460000) in RD New.
SQUARES = [(150_000, 460_000), (151_000, 460_000), (150_000, 461_000), (151_000, 461_000)]
TARGET_S = 600.0
RESIDENTS_SQL = "SELECT * FROM people_resident ORDER BY id"
LAST_IMPORT_SQL = (
    "SELECT rows, created, updated, unchanged, refused FROM onboarding_importrun"
    " WHERE kind = 'residents' ORDER BY id DESC LIMIT 1"
)


def _files(folder: Path, residents: int) -> tuple[Path, Path]:
    """An address file and a residents file (default columns) with one resident per address."""
    addresses, people = folder / "adressen.csv", folder / "bewoners.csv"
    with addresses.open("w", encoding="utf-8") as a, people.open("w", encoding="utf-8") as p:
        a.write("postcode;huisnummer;huisletter;toevoeging;straat;woonplaats;x;y\n")
        p.write(
            "extern_id;voornaam;achternaam;geboortedatum;postcode;huisnummer;huisletter;toevoeging;"
            "telefoon;email;talen;kenmerken;toestemming_sms;toestemming_email\n"
        )
        for index in range(residents):
            postcode = f"{1000 + index // 2000} {chr(65 + index // 400 % 5)}{chr(65 + index // 80 % 5)}"
            number = index % 80 + 1
            x0, y0 = SQUARES[index % 4]
            a.write(
                f"{postcode};{number};;;Benchstraat;Veerstad;{x0 + 10 + index % 97 * 10};{y0 + 10 + index % 89 * 11}\n"
            )
            p.write(
                f"B{index};Voornaam{index % 500};Achternaam{index};{1 + index % 28:02d}-{1 + index % 12:02d}-"
                f"{1930 + index % 80};{postcode};{number};;;0612{index:06d};;nl;woont alleen;ja;nee\n"
            )
    return addresses, people


def _prepare(env: dict[str, str], addresses: Path) -> None:
    veerkracht("migrate", "-v0", env=env)
    veerkracht("createcachetable", env=env)  # as `veerkracht prepare` does: the organisation's cache
    veerkracht("organisation", "create", "--name", "Bench", "--slug", "bench", "--municipality", "GM9999", env=env)
    veerkracht("geography", "import", str(EXAMPLES / "buurten.geojson"), "--organisation", "bench", env=env)
    veerkracht("import", "addresses", str(addresses), "--organisation", "bench", env=env)


def _fetch(url: str, sql: str) -> list[tuple[object, ...]]:
    """The rows of a query on the benchmark's database, SQLite or PostgreSQL."""
    if url.startswith("sqlite:///"):
        with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
            return connection.execute(sql).fetchall()
    with psycopg.connect(url) as connection:
        return connection.execute(sql).fetchall()


def _fingerprint(url: str) -> tuple[int, str]:
    """How many residents there are and a digest of all their rows (every column, timestamps included)."""
    rows = _fetch(url, RESIDENTS_SQL)
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


def _import(people: Path, env: dict[str, str]) -> tuple[float, tuple[object, ...]]:
    """Seconds the import took, and its recorded counts: rows, created, updated, unchanged, refused."""
    started = time.perf_counter()
    veerkracht("import", "residents", str(people), "--organisation", "bench", env=env)
    seconds = time.perf_counter() - started
    return seconds, _fetch(env["DATABASE_URL"], LAST_IMPORT_SQL)[0]


def _measure(database: str, residents: int, people: Path, env: dict[str, str]) -> tuple[float, float]:
    """Import the file, check every row arrived, import it again and check nothing changed."""
    url = env["DATABASE_URL"]
    first_s, (rows, created, _updated, _unchanged, refused) = _import(people, env)
    count, before = _fingerprint(url)
    check(
        f"{database}: every row imported ({count:,} residents from {rows:,} of {residents:,} rows; "
        f"{created:,} created, {refused:,} refused)",
        count == residents == rows == created and refused == 0,
    )
    again_s, (_rows, created, updated, unchanged, _refused) = _import(people, env)
    count_after, after = _fingerprint(url)
    check(
        f"{database}: re-import changed nothing ({created:,} created, {updated:,} updated, {unchanged:,} unchanged; "
        f"{count_after:,} residents, their rows {'the same' if after == before else 'CHANGED'})",
        created == updated == 0 and unchanged == residents and after == before,
    )
    return first_s, again_s


def _runs(residents: int, repeats: int, postgres: bool) -> tuple[list[float], list[float]]:
    first, again = [], []
    with tempfile.TemporaryDirectory() as folder:
        addresses, people = _files(Path(folder), residents)
        for run in range(repeats):
            if postgres:
                with postgres_database(database_name(f"vk_bench_import_{run}")) as url:
                    env = {**BASE_ENV, "DATABASE_URL": url}
                    _prepare(env, addresses)
                    seconds = _measure("PostgreSQL", residents, people, env)
            else:
                env = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{Path(folder) / f'bench{run}.sqlite3'}"}
                _prepare(env, addresses)
                seconds = _measure("SQLite", residents, people, env)
            first.append(seconds[0])
            again.append(seconds[1])
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=1)
    add_options(parser)
    options = parser.parse_args()
    if options.smoke:
        options.residents, options.repeats = 200, 1
    start_report(options)
    rows, met = [], True
    backends = [("SQLite", False)] + ([("PostgreSQL", True)] if postgres_available(smoke=options.smoke) else [])
    for name, postgres in backends:
        first, again = _runs(options.residents, options.repeats, postgres)
        fastest, median, slowest = summary(first)
        met = met and median < TARGET_S
        rate = f"{options.residents / median:,.0f}"
        rows.append((name, options.residents, fastest, median, slowest, rate, summary(again)[1]))
    print_table(
        f"Residents import, {options.residents:,} rows, {options.repeats} runs (target: under {TARGET_S:.0f} s)",
        ["database", "residents", "min s", "median s", "max s", "residents/s", "re-import median s"],
        rows,
    )
    print("PASS" if met else "FAIL")
    finish(met)


if __name__ == "__main__":
    main()
