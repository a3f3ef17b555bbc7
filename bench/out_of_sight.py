"""The out-of-sight worklist for one neighbourhood at 1,000,000 residents and 20,000,000 contacts.

The target: one neighbourhood's worklist answers in under 300 ms on PostgreSQL. The database is
filled inside the server (INSERT ... SELECT FROM generate_series, no rows through Python), with
'last reached' set from the contact log the way the application keeps it. The worklist is then
measured through the application's own code (`out_of_sight`, a count plus the first page, as
the worklist page does it) and beside a baseline that finds the last contact in the contact log
itself instead of in the denormalised column.

'1st ms' is the first evaluation in the session: the rows come from the operating system's cache
right after the load, not from a cold server. The full size takes about five minutes on 2 cores;
`--residents 20000 --contacts 400000` is a quick check, `--smoke` (2,000 residents, 20,000 contacts,
one repeat) the suite's. Every statement the page sends is measured and counted ('stmts'); a
worklist that differs from the baseline's is a wrong answer and fails the run at every size.
"""

import argparse
import math
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
from common import (
    MAINTENANCE_URL,
    add_options,
    check,
    database_name,
    finish,
    postgres_database,
    print_table,
    start_report,
    summary,
    timed,
    veerkracht,
)
from psycopg import sql

from veerkracht.core.channels import Channel
from veerkracht.people.vocabulary import MARKERS

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from veerkracht.core.models import User
    from veerkracht.people.models import Resident

DATABASE = database_name("vk_bench_out_of_sight")
KEPT_DATABASE = f"{DATABASE}_kept"
ENV = {"DEBUG": "0", "DEMO_MODE": "1", "SECRET_KEY": "bench-secret-key", "VEERKRACHT_TESTING": "0"}
TARGET_MS = 300.0
EXPLAIN_FILE = Path(f"/tmp/{DATABASE}_explain.txt")  # noqa: S108 - a report for the reader, not a secret
STATEMENT_TIMEOUT = "30s"  # a slow baseline must not hang the benchmark

RESIDENTS_PER_NEIGHBOURHOOD = 2_000
NEIGHBOURHOODS_PER_DISTRICT = 10
NEIGHBOURHOODS_PER_TEAM = 10
PROFESSIONALS_PER_TEAM = 4
RESIDENTS_PER_HOUSEHOLD = 2
HOUSEHOLDS_PER_BUILDING = 10
HISTORY = timedelta(days=730)
# Contacts per resident by number of markers (0, 1, 2, 3+), relative: the demo city's monthly
# rates (0.01, 0.08, 0.2, 0.3), so the worklist has the demo's shape at a far larger size.
CONTACT_WEIGHTS = (1, 8, 20, 30)
NEVER_CONTACTED = 0.05  # newly registered or never found at home: always on the worklist
# Channel mix after the lockdown (demo city), with typical minutes and the share of attempts.
CHANNEL_MIX: dict[Channel, tuple[int, int, float]] = {  # percent of contacts, minutes, not reached
    Channel.PHONE: (33, 15, 0.2),
    Channel.MESSAGING: (14, 5, 0.03),
    Channel.FACE_TO_FACE: (12, 30, 0.03),
    Channel.WALK: (6, 40, 0.03),
    Channel.PORCH_TALK: (6, 15, 0.25),
    Channel.HOME_VISIT: (6, 45, 0.1),
    Channel.INTERCOM: (5, 8, 0.3),
    Channel.EMAIL: (5, 5, 0.03),
    Channel.BALCONY: (4, 15, 0.03),
    Channel.VIDEO_CALL: (4, 30, 0.03),
    Channel.ACTIVITY: (3, 60, 0.03),
    Channel.WEBINAR: (2, 60, 0.03),
}
FIRST_NAMES = ["Anna", "Mohamed", "Fatma", "Jan", "Sanne", "Ahmet", "Maria", "Kees", "Yasmina", "Piet", "Ewa", "Noah"]
LAST_NAMES = ["de Vries", "Jansen", "Yilmaz", "El Amrani", "Bakker", "Visser", "Kowalski", "Smit", "Martina", "Bos"]
STREETS = ["Dorpsstraat", "Kerkweg", "Molenlaan", "Havenkade", "Lindenhof", "Parklaan", "Schoolstraat", "Veerpad"]
# Tables filled in bulk: their secondary indexes and constraints are dropped during the load.
BULK_TABLES = ["people_building", "people_household", "people_resident", "contacts_contact", "contacts_contactresident"]
ID_TABLES = ["core_organisation", "core_district", "core_neighbourhood", "core_user", "core_team", *BULK_TABLES]
FILLED_TABLES = [*ID_TABLES, "core_team_members", "core_team_neighbourhoods"]


@dataclass(frozen=True)
class Scale:
    """How many of everything, derived from the numbers of residents and contacts."""

    residents: int
    contacts: int

    @property
    def neighbourhoods(self) -> int:
        return max(1, self.residents // RESIDENTS_PER_NEIGHBOURHOOD)

    @property
    def districts(self) -> int:
        return math.ceil(self.neighbourhoods / NEIGHBOURHOODS_PER_DISTRICT)

    @property
    def teams(self) -> int:
        return math.ceil(self.neighbourhoods / NEIGHBOURHOODS_PER_TEAM)

    @property
    def households(self) -> int:
        per_neighbourhood = math.ceil(self.residents / self.neighbourhoods)
        return self.neighbourhoods * math.ceil(per_neighbourhood / RESIDENTS_PER_HOUSEHOLD)

    @property
    def buildings(self) -> int:
        per_neighbourhood = self.households // self.neighbourhoods
        return self.neighbourhoods * math.ceil(per_neighbourhood / HOUSEHOLDS_PER_BUILDING)

    @property
    def measured_neighbourhood(self) -> int:
        return self.neighbourhoods // 2 + 1

    def professional_for(self, neighbourhood: int) -> int:
        """The user id of the first professional of the team covering the neighbourhood."""
        return 2 + (neighbourhood - 1) // NEIGHBOURHOODS_PER_TEAM * PROFESSIONALS_PER_TEAM

    def parameters(self) -> dict[str, Any]:
        """The bind parameters of the population statements."""
        # One array entry per percent of contacts, so a uniform index draws the channel mix.
        expanded = [
            (channel.value, minutes, miss)
            for channel, (share, minutes, miss) in CHANNEL_MIX.items()
            for _ in range(share)
        ]
        return {
            "residents": self.residents,
            "contacts": self.contacts,
            "neighbourhoods": self.neighbourhoods,
            "districts": self.districts,
            "teams": self.teams,
            "professionals": self.teams * PROFESSIONALS_PER_TEAM,
            "households": self.households,
            "buildings": self.buildings,
            "per_district": NEIGHBOURHOODS_PER_DISTRICT,
            "per_team": NEIGHBOURHOODS_PER_TEAM,
            "per_household": RESIDENTS_PER_HOUSEHOLD,
            "per_building": HOUSEHOLDS_PER_BUILDING,
            "pros_per_team": PROFESSIONALS_PER_TEAM,
            "first_names": FIRST_NAMES,
            "last_names": LAST_NAMES,
            "streets": STREETS,
            "weights": list(CONTACT_WEIGHTS),
            "never": NEVER_CONTACTED,
            "channels": [channel for channel, _minutes, _miss in expanded],
            "minutes": [minutes for _channel, minutes, _miss in expanded],
            "misses": [miss for _channel, _minutes, miss in expanded],
            "start": datetime.now(tz=UTC) - HISTORY,
            "step": HISTORY / self.contacts,
        }


def _marker_count_sql() -> str:
    """SQL for the number of markers a resident has; mirrors `any_marker_filter`."""
    terms = [
        "(birth_year <= extract(year from now())::int - 75)::int" if marker == "aged_75_plus" else f"{marker}::int"
        for marker in MARKERS
    ]
    return " + ".join(terms)


ORGANISATION_SQL = """
INSERT INTO core_organisation (id, name, slug, city, municipality_code, created_at, out_of_sight_days,
                               retention_contact_years, retention_concern_years)
VALUES (1, 'Welzijn Veerstad (benchmark)', 'bench', 'Veerstad', '', now(), 30, 2, 15)
"""
DISTRICTS_SQL = """
INSERT INTO core_district (id, organisation_id, code, name)
SELECT d, 1, 'WK' || lpad(d::text, 6, '0'), 'Wijk ' || d FROM generate_series(1, %(districts)s::int) d
"""
NEIGHBOURHOODS_SQL = """
INSERT INTO core_neighbourhood (id, organisation_id, district_id, code, name, affluence, boundary)
SELECT n, 1, (n - 1) / %(per_district)s::int + 1, 'BU' || lpad(n::text, 8, '0'), 'Buurt ' || n,
       (ARRAY['low', 'middle', 'high'])[1 + mod(n, 3)], '{}'
FROM generate_series(1, %(neighbourhoods)s::int) n
"""
# User 1 is the coordinator; team t's professionals are users 2 + (t - 1) * pros_per_team onwards.
USERS_SQL = """
INSERT INTO core_user (id, password, is_superuser, username, first_name, last_name, email, is_staff,
                       is_active, date_joined, role, job_title, organisation_id)
SELECT u, '!', false, CASE WHEN u = 1 THEN 'coordinator' ELSE 'professional' || (u - 1) END,
       CASE WHEN u = 1 THEN 'Coby' ELSE 'Pro' END, 'Worker ' || u, '', false, true, now(),
       CASE WHEN u = 1 THEN 'coordinator' ELSE 'professional' END,
       CASE WHEN u = 1 THEN '' ELSE 'sociaal_werker' END, 1
FROM generate_series(1, 1 + %(professionals)s::int) u
"""
TEAMS_SQL = """
INSERT INTO core_team (id, organisation_id, name)
SELECT t, 1, 'Wijkteam ' || t FROM generate_series(1, %(teams)s::int) t;
INSERT INTO core_team_members (team_id, user_id)
SELECT (u - 2) / %(pros_per_team)s::int + 1, u FROM generate_series(2, 1 + %(professionals)s::int) u;
INSERT INTO core_team_neighbourhoods (team_id, neighbourhood_id)
SELECT (n - 1) / %(per_team)s::int + 1, n FROM generate_series(1, %(neighbourhoods)s::int) n
"""
# Ids interleave the neighbourhoods (id mod neighbourhoods), so one neighbourhood's rows are spread
# over the whole table as they are when residents register over the years, not packed together.
BUILDINGS_SQL = """
INSERT INTO people_building (id, organisation_id, neighbourhood_id, kind, street, house_number, postcode,
                             city, floors, courtyard_id, x, y)
SELECT b, 1, n, CASE WHEN flat THEN 'flat' ELSE 'house' END,
       (%(streets)s::text[])[1 + mod(b, cardinality(%(streets)s::text[]))], (b - 1) / %(neighbourhoods)s::int + 1,
       lpad((1000 + mod(n, 9000))::text, 4, '0') || ' ' || chr(65 + mod(b, 26)) || chr(65 + mod(b / 26, 26)),
       'Veerstad', CASE WHEN flat THEN 4 ELSE 2 END, NULL,
       mod(n - 1, 25) * 1000 + random() * 1000, (n - 1) / 25 * 1000 + random() * 1000
FROM (SELECT b, mod(b - 1, %(neighbourhoods)s::int) + 1 AS n, mod(b, 3) <> 0 AS flat
      FROM generate_series(1, %(buildings)s::int) b) s
"""
HOUSEHOLDS_SQL = """
INSERT INTO people_household (id, organisation_id, neighbourhood_id, building_id, entrance_id, street,
                              house_number, house_number_suffix, postcode, city, floor, x, y)
SELECT h.h, 1, b.neighbourhood_id, b.id, NULL, b.street, b.house_number,
       CASE WHEN b.kind = 'flat' THEN chr(65 + mod(h.j, %(per_building)s::int)) ELSE '' END,
       b.postcode, b.city, CASE WHEN b.kind = 'flat' THEN mod(h.j, %(per_building)s::int) / 3 END, b.x, b.y
FROM (SELECT h, (h - 1) / %(neighbourhoods)s::int AS j, mod(h - 1, %(neighbourhoods)s::int) + 1 AS n
      FROM generate_series(1, %(households)s::int) h) h
JOIN people_building b ON b.id = h.j / %(per_building)s::int * %(neighbourhoods)s::int + h.n
"""
# About 9% are 75+; living alone, low digital skills and limited mobility follow age roughly as
# in Dutch surveys, so that about 40% have at least one marker.
RESIDENTS_SQL = """
INSERT INTO people_resident (
    id, organisation_id, neighbourhood_id, household_id, user_id, first_name, surname_prefix, last_name,
    birth_year, phone, email, languages, migration_background, lives_alone, older_migrant,
    low_digital_skills, limited_mobility, informal_carer, interpreter_needed, key_figure_needed, key_figure,
    preferred_channel, consent_given_on, consent_contact, consent_sms, consent_email, consent_help_exchange,
    consent_activities, assigned_worker_id, last_reached_at, created_at, updated_at, erased_at)
SELECT i, 1, n, (k / %(per_household)s::int) * %(neighbourhoods)s::int + n, NULL,
       (%(first_names)s::text[])[1 + floor(random() * cardinality(%(first_names)s::text[]))::int], '',
       (%(last_names)s::text[])[1 + floor(random() * cardinality(%(last_names)s::text[]))::int],
       extract(year from now())::int - age, '', '',
       CASE WHEN migrant THEN '["nl", "tr"]'::jsonb ELSE '["nl"]'::jsonb END, migrant, random() < 0.17,
       migrant AND age >= 55 AND random() < 0.5, random() < CASE WHEN age >= 65 THEN 0.3 ELSE 0.05 END,
       random() < CASE WHEN age >= 75 THEN 0.35 ELSE 0.04 END, random() < 0.08,
       migrant AND random() < 0.1, migrant AND random() < 0.1, '', '', registered::date, true, false, false,
       false, true, NULL, NULL, registered, registered, NULL
FROM (SELECT i, mod(i - 1, %(neighbourhoods)s::int) + 1 AS n, (i - 1) / %(neighbourhoods)s::int AS k,
             CASE WHEN random() < 0.09 THEN 75 + floor(random() * 25)::int ELSE 18 + floor(random() * 57)::int END
                 AS age,
             random() < 0.25 AS migrant, now() - random() * interval '5 years' AS registered
      FROM generate_series(1, %(residents)s::int) i) s
"""
# One row per chance of being the resident of a contact: residents with more markers get more
# rows (CONTACT_WEIGHTS), some none at all. A contact draws a uniform slot from this table.
PICK_SQL = f"""
CREATE TEMPORARY TABLE pick (slot int NOT NULL, resident_id bigint NOT NULL);
INSERT INTO pick
SELECT (row_number() OVER (ORDER BY w.id) - 1)::int, w.id
FROM (SELECT id, CASE WHEN random() < %(never)s THEN 0
                      ELSE (%(weights)s::int[])[1 + least({_marker_count_sql()}, 3)] END AS weight
      FROM people_resident) w,
     generate_series(1, w.weight);
ANALYZE pick
"""  # noqa: S608 - the only interpolation is the marker columns' SQL, no input
# Contact g starts at a time that grows with g (the log fills up over two years, ids follow time)
# and has one participant, also with id g; its started_at is copied as the application does.
PARTICIPANTS_SQL = """
INSERT INTO contacts_contactresident (id, contact_id, resident_id, started_at)
SELECT s.g, s.g, p.resident_id, s.started_at
FROM (SELECT g, floor(random() * %(slots)s::int)::int AS slot,
             %(start)s::timestamptz + (g - random()) * %(step)s::interval AS started_at
      FROM generate_series(1, %(contacts)s::bigint) g) s
JOIN pick p ON p.slot = s.slot;
DROP TABLE pick
"""
# The worker is a professional of the team that covers the resident's neighbourhood.
CONTACTS_SQL = """
INSERT INTO contacts_contact (id, organisation_id, worker_id, started_at, duration_minutes, channel, reached,
                              language, interpreter, initiative, topics, note, follow_up_on, created_at)
SELECT c.id, 1, c.worker, c.started_at,
       CASE WHEN c.reached THEN greatest(1, round(c.minutes * (0.5 + random())))::int
            ELSE floor(random() * 3)::int END,
       c.channel, c.reached, 'nl', false, CASE WHEN random() < 0.2 THEN 'resident' ELSE 'worker' END,
       '[]', '', NULL, c.started_at
FROM (SELECT x.contact_id AS id, x.started_at, (%(channels)s::text[])[x.slot] AS channel,
             (%(minutes)s::int[])[x.slot] AS minutes, random() >= (%(misses)s::float8[])[x.slot] AS reached,
             2 + (mod(x.resident_id - 1, %(neighbourhoods)s::int) / %(per_team)s::int) * %(pros_per_team)s::int
               + floor(random() * %(pros_per_team)s::int)::int AS worker
      FROM (SELECT cr.*, 1 + floor(random() * cardinality(%(channels)s::text[]))::int AS slot
            FROM contacts_contactresident cr) x) c
"""
# What contacts/services.py's _mark_reached maintains one contact at a time.
LAST_REACHED_SQL = """
UPDATE people_resident r SET last_reached_at = m.last_reached
FROM (SELECT cr.resident_id, max(cr.started_at) AS last_reached
      FROM contacts_contactresident cr JOIN contacts_contact c ON c.id = cr.contact_id
      WHERE c.reached GROUP BY cr.resident_id) m
WHERE r.id = m.resident_id
"""
SCHEMA_SQL = """
SELECT 'index', tablename, indexdef FROM pg_indexes WHERE schemaname = 'public'
UNION ALL
SELECT 'constraint', conrelid::regclass::text, conname || ' ' || pg_get_constraintdef(oid)
FROM pg_constraint WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'default', table_name, column_name || ' ' || column_default
FROM information_schema.columns WHERE table_schema = 'public' AND column_default IS NOT NULL
"""
# Indexes that back no primary key or unique constraint (those go with their constraint).
PLAIN_INDEXES_SQL = """
SELECT c.relname, i.relname, pg_get_indexdef(i.oid)
FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
WHERE c.relnamespace = 'public'::regnamespace AND c.relname = ANY(%(tables)s)
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid AND k.contype IN ('p', 'u', 'x'))
"""
# Foreign keys and unique constraints; the primary keys stay, other tables' keys point at them.
DROPPABLE_CONSTRAINTS_SQL = """
SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
FROM pg_constraint
WHERE conrelid = ANY(SELECT oid FROM pg_class WHERE relnamespace = 'public'::regnamespace
                                               AND relname = ANY(%(tables)s))
  AND contype IN ('f', 'u')
"""
STATS_SQL = f"""
SELECT (SELECT count(*) FROM people_resident),
       (SELECT avg(({_marker_count_sql()} > 0)::int) FROM people_resident),
       (SELECT count(*) FROM people_resident WHERE last_reached_at IS NULL),
       (SELECT count(*) FROM people_household), (SELECT count(*) FROM people_building),
       (SELECT count(*) FROM core_user WHERE role = 'professional'),
       (SELECT count(*) FROM contacts_contact), (SELECT avg(reached::int) FROM contacts_contact),
       (SELECT count(*) FROM contacts_contactresident),
       pg_database_size(current_database())
"""  # noqa: S608 - the only interpolation is the marker columns' SQL, no input


@dataclass
class Loader:
    """Runs the population statements on one session and reports how long each took."""

    connection: psycopg.Connection[tuple[Any, ...]]
    parameters: dict[str, Any]

    def run(self, label: str, statements: str) -> None:
        start = time.perf_counter()
        for statement in statements.split(";"):
            if statement.strip():
                self.connection.execute(statement, self.parameters)
        print(f"  {label:<52} {time.perf_counter() - start:8.1f} s", flush=True)

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        return self.connection.execute(query, {"tables": BULK_TABLES}).fetchall()


def _drop_secondary(loader: Loader) -> list[tuple[str, str]]:
    """Drop the bulk tables' secondary indexes, unique constraints and foreign keys.

    Maintaining a dozen indexes and checking a deferred foreign-key trigger per row costs far more
    than building each index once and validating each key in one join afterwards. Returns the
    (table, statement) pairs that put everything back, unique constraints first.
    """
    constraints = loader.rows(DROPPABLE_CONSTRAINTS_SQL)
    indexes = loader.rows(PLAIN_INDEXES_SQL)
    drop_constraint = sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}")
    for table, name, _kind, _definition in constraints:
        loader.connection.execute(drop_constraint.format(sql.Identifier(table), sql.Identifier(name)))
    for _table, name, _definition in indexes:
        loader.connection.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))

    def add(table: str, name: str, definition: str) -> tuple[str, str]:
        return table, f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}'

    unique = [add(table, name, definition) for table, name, kind, definition in constraints if kind == "u"]
    foreign = [add(table, name, definition) for table, name, kind, definition in constraints if kind == "f"]
    return unique + [(table, definition) for table, _name, definition in indexes] + foreign


def _restore_secondary(loader: Loader, statements: list[tuple[str, str]]) -> None:
    """Recreate what `_drop_secondary` dropped, timing each table's share."""
    by_table: dict[str, list[str]] = {}
    for table, statement in statements:
        by_table.setdefault(table, []).append(statement)
    for table, table_statements in by_table.items():
        loader.run(f"indexes and keys of {table} ({len(table_statements)})", ";".join(table_statements))


def _schema(loader: Loader) -> set[tuple[str, str, str]]:
    return {(kind, table, definition) for kind, table, definition in loader.rows(SCHEMA_SQL)}


def _reset_sequences(loader: Loader) -> None:
    """Rows were inserted with explicit ids: move each identity sequence past them for later inserts."""
    for table in ID_TABLES:
        loader.connection.execute(
            sql.SQL("SELECT setval(pg_get_serial_sequence({name}, 'id'), (SELECT max(id) FROM {table}))").format(
                name=sql.Literal(table), table=sql.Identifier(table)
            )
        )


def _load(loader: Loader) -> None:
    geography = ";".join([ORGANISATION_SQL, DISTRICTS_SQL, NEIGHBOURHOODS_SQL])
    loader.run("organisation, districts, neighbourhoods", geography)
    loader.run("coordinator, professionals, teams", ";".join([USERS_SQL, TEAMS_SQL]))
    loader.run(f"buildings ({loader.parameters['buildings']:,})", BUILDINGS_SQL)
    loader.run(f"households ({loader.parameters['households']:,})", HOUSEHOLDS_SQL)
    loader.run(f"residents ({loader.parameters['residents']:,})", RESIDENTS_SQL)
    loader.run("contact chances per resident", PICK_SQL)
    loader.parameters["slots"] = loader.connection.execute("SELECT count(*) FROM pick").fetchall()[0][0]
    loader.run(f"contact participants ({loader.parameters['contacts']:,})", PARTICIPANTS_SQL)
    loader.run(f"contacts ({loader.parameters['contacts']:,})", CONTACTS_SQL)
    loader.run("residents' last reached (one UPDATE)", LAST_REACHED_SQL)


@contextmanager
def model_defaults(loader: Loader) -> Iterator[None]:
    """The models' defaults as column defaults while the load runs, then none again as migrated.

    Django applies field defaults in Python, so the INSERTs here would fail on a NOT NULL column
    added after this benchmark was written; with these, such a column gets its model default.
    """
    from django.apps import apps
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    columns = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table not in FILLED_TABLES:
            continue
        for field in model._meta.concrete_fields:
            blank_text = field.blank and field.empty_strings_allowed  # Django saves "" for it
            if not field.null and (field.has_default() or blank_text) and field.db_default is NOT_PROVIDED:
                value = field.get_db_prep_save(field.get_default(), connection)
                columns.append((sql.Identifier(model._meta.db_table), sql.Identifier(field.column), sql.Literal(value)))
    alter = "ALTER TABLE {} ALTER COLUMN {} "
    for table, column, value in columns:
        loader.connection.execute(sql.SQL(alter + "SET DEFAULT {}").format(table, column, value))
    yield
    for table, column, _value in columns:
        loader.connection.execute(sql.SQL(alter + "DROP DEFAULT").format(table, column))


def populate(url: str, scale: Scale) -> float:
    """Fill the migrated database; returns the seconds it took. The schema ends as migrated."""
    print(f"\nPopulating {scale.residents:,} residents and {scale.contacts:,} contacts:", flush=True)
    start = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as connection:
        # One session for the load: big sorts and hashes in memory, no waiting for WAL flushes.
        for setting in ("synchronous_commit = off", "work_mem = '1GB'", "maintenance_work_mem = '1GB'"):
            connection.execute(f"SET {setting}")
        connection.execute("SELECT setseed(0.42)")  # the same city on every run
        loader = Loader(connection, scale.parameters())
        migrated = _schema(loader)
        restore = _drop_secondary(loader)
        with model_defaults(loader):
            _load(loader)
        _restore_secondary(loader, restore)
        _reset_sequences(loader)
        # Autovacuum may be off (it is on this server) and would otherwise start during the
        # measurement: vacuum sets the visibility map, analyse gives the planner its statistics.
        loader.run("VACUUM (ANALYZE)", "VACUUM (ANALYZE)")
        if _schema(loader) != migrated:
            raise SystemExit("the indexes, constraints or column defaults differ from the migrated schema")
        print(f"  indexes, constraints and column defaults are exactly the migrated ones ({len(migrated)})")
        _print_stats(loader)
    return time.perf_counter() - start


def _print_stats(loader: Loader) -> None:
    residents, marked, never, households, buildings, professionals, contacts, reached, participants, size = (
        loader.connection.execute(STATS_SQL).fetchall()[0]
    )
    print(
        f"  {residents:,} residents ({float(marked):.0%} with a marker, {never:,} never reached), "
        f"{households:,} households, {buildings:,} buildings, {professionals:,} professionals;\n"
        f"  {contacts:,} contacts ({float(reached):.0%} reached), {participants:,} participants; "
        f"database {size / 2**30:.1f} GiB"
    )


# --- measurement, inside a Django process set up for the benchmark database ---


def setup_django(url: str) -> None:
    """Configure Django for the benchmark database; settings are read from the environment once."""
    os.environ.update({**ENV, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "veerkracht.settings"})
    import django

    django.setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT}'")


def baseline(user: "User", *, neighbourhood_id: int, days: int, oldest_first: bool) -> "QuerySet[Resident]":
    """The same worklist without the 'last reached' column: the last contact comes from the log."""
    from django.db.models import DateTimeField, Exists, F, Max, OuterRef, Subquery
    from django.utils import timezone

    from veerkracht.contacts.models import ContactResident
    from veerkracht.people.selectors import residents_visible_to
    from veerkracht.people.vocabulary import any_marker_filter

    cutoff = timezone.now() - timedelta(days=days)
    reached = ContactResident.objects.filter(resident=OuterRef("pk"), contact__reached=True)
    last = reached.order_by().values("resident").annotate(last=Max("started_at")).values("last")
    residents = (
        residents_visible_to(user)
        .filter(neighbourhood_id=neighbourhood_id)
        .filter(any_marker_filter(this_year=timezone.localdate().year))
        .filter(~Exists(reached.filter(started_at__gte=cutoff)))
        .annotate(last_contact=Subquery(last, output_field=DateTimeField()))
    )
    order = F("last_contact").asc(nulls_first=True) if oldest_first else F("last_contact").desc(nulls_last=True)
    return residents.select_related("household", "neighbourhood").order_by(order, "id")


@dataclass(frozen=True)
class Variant:
    label: str
    days: int
    oldest_first: bool


VARIANTS = (
    Variant("30 days, oldest first", 30, True),
    Variant("30 days, newest first", 30, False),
    Variant("90 days, oldest first", 90, True),
)


@dataclass
class Measurement:
    """Timings of the worklist (count plus first page) and what it showed."""

    first: float
    seconds: list[float]
    count: int
    page: list[int]
    statements: int = 0

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000 if self.seconds else math.inf


Worklist = Callable[[], "QuerySet[Resident]"]


def _page(worklist: Worklist) -> tuple[int, list[int]]:
    """What the worklist page evaluates, as its view and template do.

    Paginator's count, the first page's rows and whatever the queryset fetches with them
    (prefetches), then every relation the template shows: a statement the page runs is timed
    here whatever the selector adds, and a relation it forgot to fetch shows as extra statements.
    """
    from django.core.paginator import Paginator

    from veerkracht.contacts.views import PAGE_SIZE

    page = Paginator(worklist(), PAGE_SIZE).get_page(1)
    shown = []
    for resident in page.object_list:
        _ = (resident.household.address, resident.neighbourhood.name, resident.last_reached_at)
        shown.append(resident.pk)
    return page.paginator.count, shown


def measure(worklist: Worklist, repeats: int) -> Measurement:
    """One warm-up (reported as 'first'), then ``repeats`` timed runs; empty timings on a timeout."""
    from django.db import OperationalError

    try:
        with captured() as statements:
            start = time.perf_counter()
            count, page = _page(worklist)
            first = time.perf_counter() - start
        # A slow query gets fewer repeats: its order of magnitude is the point, not its spread.
        repeats = repeats if first < 1 else min(repeats, 5 if first < 5 else 2)
        return Measurement(first, timed(lambda: _page(worklist), repeats), count, page, len(statements))
    except OperationalError:  # statement_timeout
        return Measurement(math.inf, [], -1, [])


@dataclass(frozen=True)
class Subject:
    """Who looks at the worklist of which neighbourhood."""

    role: str
    user: "User"
    neighbourhood: int


def _worklists(subject: Subject, variant: Variant) -> tuple[Worklist, Worklist]:
    from veerkracht.contacts.selectors import out_of_sight

    def ours() -> "QuerySet[Resident]":
        return out_of_sight(
            subject.user, neighbourhood_id=subject.neighbourhood, days=variant.days, oldest_first=variant.oldest_first
        )

    def theirs() -> "QuerySet[Resident]":
        return baseline(
            subject.user, neighbourhood_id=subject.neighbourhood, days=variant.days, oldest_first=variant.oldest_first
        )

    return ours, theirs


def _row(subject: Subject, variant: Variant, query: str, size: int, result: Measurement, ours: float) -> list[object]:
    if not result.seconds:
        return [subject.role, variant.label, query, size, "?", "?", f"timeout {STATEMENT_TIMEOUT}", "", "", "", ""]
    fastest, median, slowest = (value * 1000 for value in summary(result.seconds))
    ratio = f"{median / ours:,.1f}x" if ours else ""
    return [
        subject.role,
        variant.label,
        query,
        size,
        result.count,
        result.statements,
        result.first * 1000,
        fastest,
        median,
        slowest,
        ratio,
    ]


def compare(subjects: list[Subject], repeats: int, baseline_repeats: int) -> tuple[list[list[object]], float]:
    """The table rows, ours beside the baseline per user and variant; returns the slowest median of ours."""
    from veerkracht.people.models import Resident

    rows: list[list[object]] = []
    slowest, agree, listed = 0.0, True, 0
    for subject in subjects:
        size = Resident.objects.filter(neighbourhood_id=subject.neighbourhood).count()
        for variant in VARIANTS:
            ours, theirs = _worklists(subject, variant)
            mine = measure(ours, repeats)
            other = measure(theirs, baseline_repeats)
            rows.append(_row(subject, variant, "ours", size, mine, mine.median_ms))
            rows.append(_row(subject, variant, "baseline", size, other, mine.median_ms))
            # The column is derived from the log: both must list the same residents in the same order.
            if other.seconds and (other.count, other.page) != (mine.count, mine.page):
                print(f"  {subject.role}, {variant.label}: the baseline's worklist differs from ours")
                agree = False
            slowest = max(slowest, mine.median_ms)
            listed = max(listed, mine.count)
    check("ours and the baseline list the same residents in the same order", agree)
    check("the worklist lists someone (a city with no one out of sight measures nothing)", listed > 0)
    return rows, slowest


@contextmanager
def captured() -> Iterator[list[str]]:
    """The SQL that Django sends inside the block."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    statements: list[str] = []
    with CaptureQueriesContext(connection) as context:
        yield statements
    statements.extend(query["sql"] for query in context.captured_queries)


def _explain(statement: str) -> list[str]:
    from django.db import OperationalError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {statement}")
            return [line for (line,) in cursor.fetchall()]
    except OperationalError:  # statement_timeout
        return [f"(cancelled by statement_timeout = {STATEMENT_TIMEOUT})"]


def explain(subject: Subject) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of ours and the baseline (count and page) to a file; ours' page plan shown."""
    variant = VARIANTS[0]
    sections: list[str] = []
    shown: list[str] = []
    for query, worklist in zip(("ours", "baseline"), _worklists(subject, variant), strict=True):
        with captured() as statements:
            _page(worklist)
        for part, statement in zip(_parts(statements), statements, strict=True):
            plan = _explain(statement)
            sections += [f"=== {query}: {part} ({subject.role}, {variant.label})", statement, "", *plan, ""]
            if (query, part) == ("ours", "first page"):
                shown = plan
    EXPLAIN_FILE.write_text("\n".join(sections))
    print(f"\nEXPLAIN (ANALYZE, BUFFERS) of our first page ({subject.role}, {variant.label}), all in {EXPLAIN_FILE}:")
    for line in _plan_excerpt(shown):
        print(f"  {line}")


def _parts(statements: list[str]) -> list[str]:
    """A label per statement the page sent: the count, the first page, then what was fetched with it."""
    labels = ["count", "first page"]
    return [labels[i] if i < len(labels) else f"then {_table_of(s)}" for i, s in enumerate(statements)]


def _table_of(statement: str) -> str:
    """The first table a SELECT reads, for a label ('people_household')."""
    after = statement.partition(" FROM ")[2].split()
    return after[0].strip('"') if after else "?"


def _plan_excerpt(plan: list[str], head: int = 4) -> list[str]:
    """The top of a plan, the subtree that reads the residents (where an index is used or not) and the total."""
    start = next((i for i, line in enumerate(plan) if " on people_resident " in line), len(plan))
    depth = len(plan[start]) - len(plan[start].lstrip()) if start < len(plan) else 0
    end = next((i for i in range(start + 1, len(plan)) if len(plan[i]) - len(plan[i].lstrip()) <= depth), len(plan))
    total = [line for line in plan if line.startswith("Execution Time")]
    return [*plan[:head], "...", *plan[start:end], "...", *total]


def run_measurements(scale: Scale, repeats: int) -> bool:
    """Measure ours and the baseline for a coordinator and a professional; True when under the target."""
    from django.db import connections

    from veerkracht.core.models import User

    neighbourhood = scale.measured_neighbourhood
    subjects = [
        Subject("coordinator", User.objects.get(pk=1), neighbourhood),
        Subject("professional", User.objects.get(pk=scale.professional_for(neighbourhood)), neighbourhood),
    ]
    print(f"\nMeasuring neighbourhood {neighbourhood} ({repeats} runs after a warm-up):", flush=True)
    # Imports and first-query set-up happen here, on another neighbourhood, so that '1st ms' is the
    # first reading of the measured neighbourhood's rows and not Django warming up.
    _page(_worklists(Subject("coordinator", subjects[0].user, 1), VARIANTS[0])[0])
    rows, slowest = compare(subjects, repeats, max(1, min(repeats, 10)))
    explain(subjects[1])
    connections.close_all()
    print_table(
        f"Out-of-sight worklist, one neighbourhood, {scale.residents:,} residents, {scale.contacts:,} contacts "
        "(count + first page of 50; ms)",
        [
            "user",
            "variant",
            "query",
            "nbh residents",
            "worklist",
            "stmts",
            "1st ms",
            "min ms",
            "median ms",
            "max ms",
            "vs ours",
        ],
        rows,
    )
    passed = slowest < TARGET_MS
    verdict = "PASS" if passed else "FAIL"
    print(f"\n{verdict}: the slowest median of our worklist is {slowest:,.1f} ms (target: under {TARGET_MS:.0f} ms)")
    return passed


def _keep(url: str) -> None:
    """Rename the database so that `postgres_database` finds nothing to drop."""
    with psycopg.connect(MAINTENANCE_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{KEPT_DATABASE}" WITH (FORCE)')
        connection.execute(f'ALTER DATABASE "{DATABASE}" RENAME TO "{KEPT_DATABASE}"')
    print(f"\nKept the database as {url.rsplit('/', 1)[0]}/{KEPT_DATABASE}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--contacts", type=int, default=20_000_000)
    parser.add_argument("--repeats", type=int, default=30, help="timed runs of our query (the baseline: at most 10)")
    parser.add_argument("--keep", action="store_true", help=f"keep the database (as {KEPT_DATABASE}) for inspection")
    add_options(parser)
    options = parser.parse_args()
    if options.smoke:
        options.residents, options.contacts, options.repeats = 2_000, 20_000, 1
    start_report(options)
    scale = Scale(options.residents, options.contacts)
    with postgres_database(DATABASE) as url:
        veerkracht("migrate", "-v0", env={**ENV, "DATABASE_URL": url})
        setup_django(url)  # population reads the models' defaults, measurement runs the application
        seconds = populate(url, scale)
        print(f"\nPopulation took {seconds:,.0f} s ({seconds / 60:.1f} min)", flush=True)
        passed = run_measurements(scale, options.repeats)
        if options.keep:
            _keep(url)
    finish(passed)


if __name__ == "__main__":
    main()
