"""How long `veerkracht import residents` takes for a file of 100,000 residents, on SQLite and PostgreSQL.

The issue's target: 100,000 residents in under 10 minutes. Each run starts from an empty, migrated
database with an organisation, the sample neighbourhoods (docs/examples/buurten.geojson) and an
address file with one address per resident; only the residents' import is timed.
"""

import argparse
import os
import resource
import tempfile
from functools import partial
from pathlib import Path

from common import postgres_available, postgres_database, print_table, summary, timed, veerkracht

BASE_ENV = {"DEBUG": "0", "DEMO_MODE": "1", "SECRET_KEY": "bench-secret-key", "VEERKRACHT_TESTING": "0"}
EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
# The sample neighbourhoods: four squares of 1 km from (150000, 460000) in RD New.
SQUARES = [(150_000, 460_000), (151_000, 460_000), (150_000, 461_000), (151_000, 461_000)]


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
    veerkracht("organisation", "create", "--name", "Bench", "--slug", "bench", "--municipality", "GM9999", env=env)
    veerkracht("geography", "import", str(EXAMPLES / "buurten.geojson"), "--organisation", "bench", env=env)
    veerkracht("import", "addresses", str(addresses), "--organisation", "bench", env=env)


def _import(env: dict[str, str], people: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of the import command: the CPU time is what the
    import itself costs, however busy the machine is (PostgreSQL's own work is not in it)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = ("import", "residents", str(people), "--organisation", "bench")
    [wall] = timed(partial(veerkracht, *command, env=env), 1)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _runs(residents: int, repeats: int, postgres: bool) -> tuple[list[float], list[float]]:
    seconds, cpu = [], []
    with tempfile.TemporaryDirectory() as folder:
        addresses, people = _files(Path(folder), residents)
        for run in range(repeats):
            if postgres:
                with postgres_database(f"vk_bench_import_{os.getpid()}_{run}") as url:
                    env = {**BASE_ENV, "DATABASE_URL": url}
                    _prepare(env, addresses)
                    wall, used = _import(env, people)
            else:
                env = {**BASE_ENV, "DATABASE_URL": f"sqlite:///{Path(folder) / f'bench{run}.sqlite3'}"}
                _prepare(env, addresses)
                wall, used = _import(env, people)
            seconds.append(wall)
            cpu.append(used)
    return seconds, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=1)
    options = parser.parse_args()
    rows = []
    backends = [("SQLite", False)] + ([("PostgreSQL", True)] if postgres_available() else [])
    for name, postgres in backends:
        seconds, cpu = _runs(options.residents, options.repeats, postgres)
        fastest, median, slowest = summary(seconds)
        rows.append(
            (name, options.residents, fastest, median, slowest, summary(cpu)[1], f"{options.residents / median:,.0f}")
        )
    print_table(
        f"Residents import, {options.residents:,} rows, {options.repeats} runs (target: under 600 s)",
        ["database", "residents", "min s", "median s", "max s", "median cpu s", "residents/s"],
        rows,
    )


if __name__ == "__main__":
    main()
