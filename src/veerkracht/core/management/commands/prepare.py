"""``veerkracht prepare``: make an installation ready to serve, the first time and after each upgrade.

In order, each step stopping the command when it fails:

1. refuse a database that a newer release migrated (its migrations are unknown to this code);
2. apply the migrations, as the owner role when ``DATABASE_OWNER_URL`` is set (docs/adr/0012);
3. create the cache table (when the cache lives in the database), as the owner too;
4. collect the static files into ``STATIC_ROOT`` (``--skip-static`` where they were collected
   when the container image was built);
5. Django's deployment checks (``check --deploy``): a warning fails the command in production;
6. the same checks ``veerkracht serve`` makes before it starts.

Running it again changes nothing and is quick: every step is idempotent.
"""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, SystemCheckError
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

from veerkracht.core.owner import owner_url, run_as_owner
from veerkracht.core.startup import check_database, migration_state, refuse_database_newer_than_code


class Command(BaseCommand):
    help = "Prepare or upgrade this installation: migrations, cache table, static files, deployment checks."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--skip-static", action="store_true", help="the static files were collected already")

    def handle(self, *args: Any, skip_static: bool, **options: Any) -> None:
        try:
            self._prepare(skip_static=skip_static)
        except (ImproperlyConfigured, RuntimeError) as error:
            raise CommandError(str(error)) from None
        except OperationalError as error:
            raise CommandError(f"database unavailable: {str(error).strip().splitlines()[0]}") from None
        self.stdout.write(self.style.SUCCESS("Ready: start (or restart) veerkracht-web and veerkracht-worker."))

    def _prepare(self, *, skip_static: bool) -> None:
        self._step("Checking the database is not newer than this release")
        refuse_database_newer_than_code(migration_state())
        as_owner = bool(owner_url())
        uses_cache_table = any(
            cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache" for cache in settings.CACHES.values()
        )
        self._step("Applying migrations" + (" as the owner role (DATABASE_OWNER_URL)" if as_owner else ""))
        if as_owner:
            run_as_owner("migrate", "--no-input")
            if uses_cache_table:
                run_as_owner("createcachetable")
            connections[DEFAULT_DB_ALIAS].close()  # read the schema the owner's process changed afresh
        else:
            call_command("migrate", interactive=False, verbosity=1, stdout=self.stdout)
            if uses_cache_table:
                call_command("createcachetable", stdout=self.stdout)
        if not skip_static:
            self._step("Collecting static files")
            call_command("collectstatic", interactive=False, verbosity=0, stdout=self.stdout)
        self._step("Deployment checks (check --deploy)")
        # Plain HTTP is expected in the demo and while developing; in production a warning is a fault.
        fail_level = "ERROR" if settings.LOCAL_HTTP else "WARNING"
        try:
            call_command("check", deploy=True, fail_level=fail_level, stdout=self.stdout)
        except SystemCheckError as error:
            raise CommandError(f"the deployment checks found problems:\n{error}") from None
        self._step("Checking the database as the server will")
        check_database()

    def _step(self, text: str) -> None:
        self.stdout.write(f"→ {text}")
