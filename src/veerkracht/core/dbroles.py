"""Which tables PostgreSQL holds to an organisation, how, and what the application's role may do.

One registry for row-level security (docs/adr/0017-row-level-security-everywhere.md):

- ``ISOLATED``: every table with an organisation's data, with the way to its organisation (its
  own ``organisation_id`` column, or a chain of foreign keys to a table that has one) and what a
  connection with *no* organisation set may do with it (``Unset``).
- ``GLOBAL``: the few tables that belong to no organisation, each with the reason.

``tests/core/test_rls_registry.py`` fails for a model whose table is in neither, and says which
line to add. The policies are (re)applied from this registry after every ``migrate``
(``core.signals``), so a new table needs only its line here. ``veerkracht db_grant_app_role``
grants the application's role its privileges from the same registry.

The organisation a connection works for is the session setting ``veerkracht.organisation``:
an organisation's id (a signed-in request, an API call, a background run), nothing (an
anonymous request: only what ``Unset`` allows) or ``all`` (a background process between runs,
the test suite: every row). The table owner additionally sees every row while nothing is set
(migrations, backups, the retention job).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

SETTING = "veerkracht.organisation"
ALL = "all"


class Unset(StrEnum):
    """What a connection with no organisation set (an anonymous request) may do with a table's rows."""

    NOTHING = "nothing"  # residents' data and all other work: not one row
    READ = "read"  # read every row: the public pages (activities, places, neighbourhoods)
    WRITE = "write"  # read and write every row: signing in (users, second factors, API tokens)
    ORPHANS = "orphans"  # read and write the rows that belong to no organisation (anonymous callers')
    AUDIT = "audit"  # add rows, at any time, for any organisation; read nothing (the audit log)
    APPEND = "append"  # add rows at any time; read, change and remove only the organisation's own


@dataclass(frozen=True)
class Isolated:
    """A table held to an organisation.

    ``via`` is the chain of (foreign key column, referenced table) from this table to the one
    with the ``organisation_id`` column; empty when the table has the column itself. ``path``
    overrides both with an SQL expression that names the row's organisation.
    """

    table: str
    via: Sequence[tuple[str, str]] = ()
    unset: Unset = Unset.NOTHING
    public_read: bool = False  # also readable while another organisation is set (public pages)
    path: str = ""
    why: str = field(default="", compare=False)

    def organisation(self) -> str:
        """SQL for the organisation of a row of ``table`` (evaluated in its policies)."""
        if self.path:
            return self.path
        if not self.via:
            return f"{self.table}.organisation_id"
        joins, previous = [], ""
        for hop, (column, parent) in enumerate(self.via):
            alias = f"p{hop}"
            if hop == 0:
                joins.append(f"FROM {parent} {alias}")
                where = f"{alias}.id = {self.table}.{column}"
            else:
                joins.append(f"JOIN {parent} {alias} ON {alias}.id = {previous}.{column}")
            previous = alias
        return f"(SELECT {previous}.organisation_id {' '.join(joins)} WHERE {where})"


def _user(table: str, column: str = "user_id", unset: Unset = Unset.NOTHING) -> Isolated:
    return Isolated(table, via=[(column, "core_user")], unset=unset)


# Every table with an organisation's data. One line per table; keep them grouped by app.
ISOLATED: tuple[Isolated, ...] = (
    # core
    Isolated("core_organisation", path="core_organisation.id", unset=Unset.READ, public_read=True),
    Isolated("core_district", unset=Unset.READ, public_read=True),
    Isolated("core_neighbourhood", unset=Unset.READ, public_read=True),
    Isolated("core_user", unset=Unset.WRITE, why="signing in finds the account before its organisation is known"),
    _user("core_user_groups", unset=Unset.WRITE),
    _user("core_user_user_permissions", unset=Unset.WRITE),
    Isolated("core_team"),
    Isolated("core_team_neighbourhoods", via=[("team_id", "core_team")]),
    Isolated("core_team_members", via=[("team_id", "core_team")]),
    _user("core_apitoken", unset=Unset.WRITE),
    Isolated("core_auditevent", unset=Unset.AUDIT),
    Isolated("core_auditseal"),
    Isolated(
        "core_auditaddress",
        unset=Unset.APPEND,
        why="kept beside every audit event, signing in too; erasure and retention remove them (no audit table)",
    ),
    Isolated("core_registeredaddress"),
    Isolated(
        "core_idempotencyrecord",
        unset=Unset.ORPHANS,
        why="anonymous callers' keys belong to no organisation",
    ),
    _user("core_notification"),
    Isolated("core_outboundmessage"),
    Isolated("core_taskrun"),
    _user("otp_totp_totpdevice", unset=Unset.WRITE),
    _user("otp_static_staticdevice", unset=Unset.WRITE),
    Isolated(
        "otp_static_statictoken",
        via=[("device_id", "otp_static_staticdevice"), ("user_id", "core_user")],
        unset=Unset.WRITE,
    ),
    # accounts
    _user("accounts_authenticatorapp", unset=Unset.WRITE),
    _user("accounts_recoverycodes", unset=Unset.WRITE),
    Isolated(
        "accounts_recoverycode",
        via=[("device_id", "accounts_recoverycodes"), ("user_id", "core_user")],
        unset=Unset.WRITE,
    ),
    # onboarding
    Isolated(
        "onboarding_invitation",
        unset=Unset.WRITE,
        why="the invited person opens the one-time link before they have an account",
    ),
    Isolated(
        "onboarding_residentinvitation",
        unset=Unset.READ,
        why="the resident opens the one-time link before they have an account; it holds ids, channel and "
        "language, no name or address; the link's writes run acting_for its organisation",
    ),
    Isolated("onboarding_importrun"),
    Isolated("onboarding_importupload"),
    # people
    Isolated("people_courtyard"),
    Isolated("people_building"),
    Isolated("people_entrance", via=[("building_id", "people_building")]),
    Isolated("people_household"),
    Isolated("people_resident"),
    # places
    Isolated("places_place", unset=Unset.READ, public_read=True),
    # contacts
    Isolated("contacts_contact"),
    Isolated("contacts_contactresident", via=[("contact_id", "contacts_contact")]),
    Isolated("contacts_concern"),
    Isolated("contacts_concernevent", via=[("concern_id", "contacts_concern")]),
    Isolated("contacts_calltask"),
    # activities
    Isolated("activities_activity", unset=Unset.READ, public_read=True),
    Isolated("activities_activity_helpers", via=[("activity_id", "activities_activity")]),
    # an activity's title and description in English, Turkish and Arabic: public, as the activity is
    Isolated(
        "activities_activitytext", via=[("activity_id", "activities_activity")], unset=Unset.READ, public_read=True
    ),
    Isolated(
        "activities_registration",
        via=[("activity_id", "activities_activity")],
        unset=Unset.READ,
        why="the registrant's own page and cancellation find it by its token; writes are bound (acting_for)",
    ),
    Isolated("activities_attendance", via=[("activity_id", "activities_activity")]),
    # help
    Isolated("help_helprequest"),
    Isolated("help_requestevent", via=[("request_id", "help_helprequest")]),
    Isolated("help_helpoffer"),
    Isolated("help_match", via=[("request_id", "help_helprequest")]),
    Isolated("help_helpgiven", via=[("match_id", "help_match"), ("request_id", "help_helprequest")]),
    Isolated("help_checkin", via=[("request_id", "help_helprequest")]),
    # insights
    Isolated("insights_contactdaily"),
    Isolated("insights_contactmonthly"),
    Isolated("insights_attendancemix"),
    Isolated("insights_reachdaily"),
    Isolated("insights_pulseresponse"),
    Isolated("insights_survey", unset=Unset.READ, why="the public survey is found by its link"),
    Isolated("insights_surveyresponse", via=[("survey_id", "insights_survey")]),
    # bingo
    Isolated("bingo_game"),
    Isolated("bingo_card", via=[("game_id", "bingo_game")]),
    Isolated("bingo_draw", via=[("game_id", "bingo_game")]),
    Isolated("bingo_winner", via=[("game_id", "bingo_game")]),
    # outreach
    Isolated("outreach_priorityweights"),
    Isolated("outreach_doorflag"),
    Isolated("outreach_outreachround"),
    Isolated("outreach_roundwalker", via=[("round_id", "outreach_outreachround")]),
    Isolated("outreach_roundstop", via=[("round_id", "outreach_outreachround")]),
    Isolated("outreach_visit", via=[("stop_id", "outreach_roundstop"), ("round_id", "outreach_outreachround")]),
    # messaging
    Isolated("messaging_message"),
    Isolated("messaging_recipient", via=[("message_id", "messaging_message")]),
    Isolated("messaging_videocall"),
    # team
    Isolated("team_volunteerapplication"),
    _user("team_contract"),
    Isolated("team_timesheet"),
    Isolated("team_timeentry", via=[("sheet_id", "team_timesheet")]),
    Isolated("team_unavailability"),
)

# Tables that belong to no organisation, and why that is safe. Keep this list short.
GLOBAL: dict[str, str] = {
    "django_migrations": "the schema's history; no data",
    "django_content_type": "the names of the models; no data",
    "auth_permission": "the names of the permissions; no data",
    "auth_group": "the names of groups of permissions; no data",
    "auth_group_permissions": "which permissions a group has; no data",
    "django_session": (
        "looked up by its secret key before anyone is known; holds only the user's id and "
        "authentication state (tests/core/test_rls_registry.py checks the keys it may hold)"
    ),
    "core_maintenancerun": "when a backup or retention run last finished, with a count or file name; no personal data",
    "django_tasks_database_dbtaskresult": (
        "the queue holds the id of a task run only (core.tasks); the run itself is isolated"
    ),
}

# What a session (a GLOBAL table) may hold: the signed-in user's id and the state of signing in,
# never a name or a text about a resident. Messages to the user travel in a cookie instead.
SESSION_KEYS = frozenset(
    {
        "_auth_user_id",
        "_auth_user_backend",
        "_auth_user_hash",
        "otp_device_id",  # django-otp: which second factor was used
        "accounts.pending",  # the user's id, when and where to, between password and code
        "accounts.reauthenticated_at",
        "accounts.seen",  # the last activity, for the idle timeout
        "accounts.new_recovery_codes",  # shown once right after enrolment, then removed
        "_password_reset_token",  # Django's password reset, between the link and the new password
    }
)

# Append-only for the application's role: it may add and read, never change or remove.
AUDIT_TABLES = ("core_auditevent", "core_auditseal")
# Read-only for the application's role.
READ_ONLY_TABLES = ("django_migrations", "django_content_type", "auth_permission")

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION veerkracht_organisation() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT CASE WHEN current_setting('{SETTING}', true) ~ '^[0-9]+$'
               THEN current_setting('{SETTING}', true)::bigint END $$;
CREATE OR REPLACE FUNCTION veerkracht_unset() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('{SETTING}', true), '') = '' $$;
CREATE OR REPLACE FUNCTION veerkracht_every_organisation() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT current_setting('{SETTING}', true) = '{ALL}' $$;
CREATE OR REPLACE FUNCTION veerkracht_organisation_of_scope(scope text) RETURNS bigint LANGUAGE sql STABLE
SET search_path FROM CURRENT AS
$$ SELECT organisation_id FROM core_user
   WHERE scope ~ '^user:[0-9]+$' AND id = substring(scope from 6)::bigint $$;
"""  # noqa: S608 - the module's own constants


def _policies(entry: Isolated, owner: str) -> list[str]:
    table, mine = entry.table, f"{entry.organisation()} = veerkracht_organisation()"
    statements = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY every_organisation ON {table} USING (veerkracht_every_organisation()) "
        "WITH CHECK (veerkracht_every_organisation())",
        f"CREATE POLICY maintenance ON {table} TO {owner} USING (veerkracht_unset()) WITH CHECK (veerkracht_unset())",
    ]
    if entry.unset is Unset.AUDIT:
        statements += [
            f"CREATE POLICY tenant ON {table} FOR SELECT USING ({mine})",
            f"CREATE POLICY append ON {table} FOR INSERT WITH CHECK (true)",
        ]
    else:
        statements.append(f"CREATE POLICY tenant ON {table} USING ({mine}) WITH CHECK ({mine})")
    if entry.unset is Unset.APPEND:
        statements.append(f"CREATE POLICY append ON {table} FOR INSERT WITH CHECK (true)")
    if entry.public_read:
        statements.append(f"CREATE POLICY public_read ON {table} FOR SELECT USING (true)")
    if entry.unset is Unset.READ:
        statements.append(f"CREATE POLICY unset ON {table} FOR SELECT USING (veerkracht_unset())")
    elif entry.unset is Unset.WRITE:
        statements.append(f"CREATE POLICY unset ON {table} USING (veerkracht_unset()) WITH CHECK (veerkracht_unset())")
    elif entry.unset is Unset.ORPHANS:
        orphan = f"veerkracht_unset() AND {entry.organisation()} IS NULL"
        statements.append(f"CREATE POLICY unset ON {table} USING ({orphan}) WITH CHECK ({orphan})")
    return statements


def _existing(connection: BaseDatabaseWrapper, tables: Iterable[str]) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname = ANY(%s)",
            [list(tables)],
        )
        return {row[0] for row in cursor.fetchall()}


def policies_apply(connection: BaseDatabaseWrapper) -> list[str]:
    """(Re)create every policy of the registry, as the tables' owner; returns the tables done.

    Idempotent: each table's policies are dropped and created again in one transaction, so a
    changed line in ``ISOLATED`` takes effect at the next ``migrate``. Tables that do not exist
    (yet) are left out. Nothing on SQLite.
    """
    if connection.vendor != "postgresql":
        return []
    named = {entry.table for entry in ISOLATED} | {parent for entry in ISOLATED for _column, parent in entry.via}
    present = _existing(connection, named)
    with connection.cursor() as cursor:
        cursor.execute("SELECT quote_ident(current_user)")
        owner = cursor.fetchone()[0]
        cursor.execute(FUNCTIONS)
        cursor.execute(
            "SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema() AND tablename = ANY(%s)",
            [sorted(present)],
        )
        for table, policy in cursor.fetchall():
            cursor.execute(f'DROP POLICY "{policy}" ON {table}')
        for entry in ISOLATED:
            if {entry.table, *(parent for _column, parent in entry.via)} <= present:
                for statement in _policies(entry, owner):
                    cursor.execute(statement)
    return sorted(present)


def grants(role: str) -> list[str]:
    """The SQL that gives the application's ``role`` exactly the privileges it needs (run as owner)."""
    quoted = '"' + role.replace('"', '""') + '"'
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {quoted}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {quoted}",
        f"REVOKE CREATE ON SCHEMA public FROM {quoted}",
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"REVOKE INSERT, UPDATE, DELETE ON {', '.join(READ_ONLY_TABLES)} FROM {quoted}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {', '.join(AUDIT_TABLES)} FROM {quoted}",
    ]


def policies_after_migrate(sender: object, using: str = "default", **kwargs: object) -> None:
    """``post_migrate``: apply the registry after every ``migrate`` (not after a test's ``flush``)."""
    if getattr(sender, "name", "") != "veerkracht.core" or "plan" not in kwargs:
        return
    policies_apply(connections[using])
