"""``veerkracht demo``: build the demo city (docs/architecture.md, "The demo city").

The generator's libraries (Faker, tqdm) are the ``demo`` extra, which production installs leave
out. This module imports them only once the command runs, so ``veerkracht help`` and every other
command work without them, and a missing extra is a message rather than a traceback.
"""

import argparse
import importlib.util
import sys
from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from veerkracht.core.models import Organisation
from veerkracht.demo.logins import DEMO_LOGINS, DEMO_PASSWORD

DEFAULT_RESIDENTS = 20_000
DEFAULT_SEED = 1
MAX_RESIDENTS = 5_000_000
EXTRA = ("faker", "tqdm")  # the `demo` extra in pyproject.toml
EXTRA_MISSING = (
    "De demostad heeft de extra 'demo' nodig (Faker, tqdm), die hier niet is geïnstalleerd: "
    "pip install -c requirements.lock -e '.[demo]' (of make run). "
    "/ The demo city needs the 'demo' extra (Faker, tqdm), which is not installed here: "
    "pip install -c requirements.lock -e '.[demo]' (or make run)."
)


def demo_extra_missing() -> list[str]:
    """The libraries of the ``demo`` extra that cannot be imported here."""
    return [name for name in EXTRA if importlib.util.find_spec(name) is None]


def resident_count(value: str) -> int:
    """An argparse type: a whole number of residents within reason."""
    try:
        number = int(value.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= MAX_RESIDENTS:
        raise argparse.ArgumentTypeError(f"choose between 1 and {MAX_RESIDENTS:,} residents")
    return number


class Command(BaseCommand):
    help = "Build the demo city: a fictional Dutch city with residents, places, wijkteams and demo logins."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--residents", type=resident_count, default=DEFAULT_RESIDENTS, help="residents (default 20,000)"
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the same seed gives the same city")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the database already holds an organisation"
        )
        parser.add_argument(
            "--lockdown",
            type=date.fromisoformat,
            default=None,
            help="the date the channel mix shifts (YYYY-MM-DD, within the last two years; default half a year ago)",
        )

    def handle(
        self, *args: Any, residents: int, seed: int, if_empty: bool, lockdown: date | None, **options: Any
    ) -> None:
        if demo_extra_missing():
            raise CommandError(EXTRA_MISSING)
        # Only now: these import the extra's libraries (see the module's docstring).
        from tqdm import tqdm

        from veerkracht.demo.city.config import HISTORY_DAYS
        from veerkracht.demo.services import demo_city_build

        today = timezone.localdate()
        if lockdown is not None and not today - timedelta(days=HISTORY_DAYS) <= lockdown <= today:
            raise CommandError("--lockdown must lie within the last two years")
        if Organisation.objects.exists():
            if if_empty:
                self.stdout.write("The database already holds an organisation: the demo city is not built again.")
                return
            raise CommandError(
                "the database already holds an organisation: the demo city needs an empty database "
                "(pass --if-empty to skip when it is not)"
            )
        # The bar goes to the real stderr and only on a terminal (disable=None), not into logs.
        with tqdm(total=0, unit=" rows", file=sys.stderr, disable=None, dynamic_ncols=True) as bar:

            def progress(stage: str, done: int, total: int) -> None:
                bar.total = total
                bar.set_description(stage, refresh=False)
                bar.update(done - bar.n)

            summary = demo_city_build(residents=residents, seed=seed, lockdown=lockdown, progress=progress)
        if options.get("verbosity", 1) == 0:
            return
        self.stdout.write(
            f"Built {summary.organisation_name} ({summary.city}, seed {summary.seed}) in {summary.seconds:.1f} s:"
        )
        for label, count in summary.counts.items():
            self.stdout.write(f"  {count:>9,}  {label}")
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for username, (_role, purpose) in DEMO_LOGINS.items():
            self.stdout.write(f"  {username:<12} {purpose}")
        self.stdout.write("Each of them signs in with that password; no other generated account can sign in.")
