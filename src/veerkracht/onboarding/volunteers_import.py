"""Importing active volunteers, with the default columns ``COLUMNS``.

Each new row becomes an active volunteer: the intake record (with the VOG date), an account
(role volunteer, no password yet) and, when ``soorten_hulp`` names kinds of help, an offer of
neighbour help from their home's real position with ``straal_km`` as its reach (1.5 km when
empty). Idempotent by ``extern_id``: a changed row updates the record and the offer, audited by
field name.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from veerkracht.core.audit import audit_record
from veerkracht.core.bag import AddressSource
from veerkracht.core.models import AuditAction, Organisation, User
from veerkracht.core.roles import Role
from veerkracht.help.models import HelpOffer
from veerkracht.help.vocabulary import ALL_MOMENTS, HelpKind
from veerkracht.onboarding import cells
from veerkracht.onboarding.locator import Locator, address_cells
from veerkracht.onboarding.reporting import (
    Progress,
    Report,
    RowError,
    RowProblem,
    counted,
    once_in_file,
    report_audit,
)
from veerkracht.onboarding.tabular import Table
from veerkracht.people.vocabulary import LANGUAGES
from veerkracht.team.models import ApplicationStatus, VolunteerApplication

COLUMNS = (
    "extern_id",
    "voornaam",
    "achternaam",
    "email",
    "telefoon",
    "postcode",
    "huisnummer",
    "huisletter",
    "toevoeging",
    "talen",
    "soorten_hulp",
    "straal_km",
    "vog_datum",
)
REQUIRED = ("voornaam", "achternaam")
APPLICATION = "team.volunteerapplication"
DEFAULT_RADIUS_M = 1500


def _values(locator: Locator, row: dict[str, str], vocab: tuple[dict[str, str], dict[str, str]]) -> dict[str, Any]:
    languages, kinds = vocab
    email = row.get("email", "").strip().lower()
    if email and ("@" not in email or "." not in email.rsplit("@", 1)[-1]):
        raise RowError("email", f"email {email} is geen e-mailadres")
    phone = "".join(ch for ch in row.get("telefoon", "") if ch.isdigit() or ch == "+")
    if phone and not 9 <= len(phone.lstrip("+")) <= 15:
        raise RowError("telefoon", f"telefoon {row['telefoon']} is geen telefoonnummer")
    if not (email or phone):
        raise RowError("email", "email en telefoon ontbreken allebei")
    vog = cells.day(row, "vog_datum", optional=True)
    if vog is not None and vog > timezone.localdate():
        raise RowError("vog_datum", f"vog_datum {row['vog_datum']} ligt in de toekomst")
    radius = cells.decimal_number(row, "straal_km", optional=True)
    if radius is not None and not 0 < radius <= 50:
        raise RowError("straal_km", f"straal_km {row['straal_km']} moet tussen 0 en 50 liggen")
    chosen = cells.codes(row, "soorten_hulp", kinds)
    located = None
    if row.get("postcode", "").strip():
        located = locator.locate(*address_cells(row))
    elif chosen:
        raise RowError("postcode", "postcode ontbreekt (nodig voor burenhulp)")
    return {
        "first_name": cells.required(row, "voornaam")[:100],
        "last_name": cells.required(row, "achternaam")[:100],
        "email": email,
        "phone": phone,
        "languages": cells.codes(row, "talen", languages),
        "interests": chosen,
        "vog_received_on": vog,
        "vog_requested_on": vog,
        "neighbourhood": located[1] if located else None,
        "_home": located[0] if located else None,
        "_radius_m": round(radius * 1000) if radius is not None else DEFAULT_RADIUS_M,
    }


def _username(values: dict[str, Any]) -> str:
    base = values["email"] or f"{slugify(values['first_name'])}.{slugify(values['last_name'])}".strip(".")[:100]
    candidate, number = base or "vrijwilliger", 1
    while User.objects.filter(username=candidate).exists():
        number += 1
        candidate = f"{base}{number}"
    return candidate


def _offer(organisation: Organisation, user: User, values: dict[str, Any]) -> None:
    home = values["_home"]
    if not values["interests"] or home is None:
        HelpOffer.objects.filter(helper=user).update(active=False)
        return
    HelpOffer.objects.update_or_create(
        helper=user,
        defaults={
            "organisation": organisation,
            "neighbourhood": values["neighbourhood"],
            "kinds": values["interests"],
            "availability": ALL_MOMENTS,
            "x": home.x,
            "y": home.y,
            "radius_m": values["_radius_m"],
            "languages": values["languages"],
            "max_open_tasks": 2,
            "active": True,
        },
    )


def _create(by: User | None, organisation: Organisation, extern_id: str, values: dict[str, Any]) -> None:
    fields = {name: value for name, value in values.items() if not name.startswith("_")}
    user = User(
        organisation=organisation,
        username=_username(values),
        first_name=values["first_name"],
        last_name=values["last_name"],
        email=values["email"],
        role=Role.VOLUNTEER,
    )
    user.set_unusable_password()
    user.save()
    application = VolunteerApplication.objects.create(
        organisation=organisation,
        extern_id=extern_id,
        status=ApplicationStatus.ACTIVE,
        user=user,
        activated_at=timezone.now(),
        activated_by=by,
        **fields,
    )
    _offer(organisation, user, values)
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        organisation=organisation,
        object_type=APPLICATION,
        object_id=application.pk,
        fields=sorted(fields),
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=by,
        organisation=organisation,
        object_type="core.user",
        object_id=user.pk,
        fields=["role"],
    )


def _update(
    by: User | None, organisation: Organisation, application: VolunteerApplication, values: dict[str, Any]
) -> bool:
    fields = {name: value for name, value in values.items() if not name.startswith("_")}
    changed = sorted(name for name, value in fields.items() if getattr(application, name) != value)
    offer = HelpOffer.objects.filter(helper_id=application.user_id).first()
    home = values["_home"]
    if (
        offer is not None
        and home is not None
        and ((offer.x, offer.y) != (home.x, home.y) or offer.radius_m != values["_radius_m"])
    ):
        changed.append("help_offer")
    if not changed:
        return False
    for name in changed:
        if name in fields:
            setattr(application, name, fields[name])
    application.save()
    if application.user is not None:
        _offer(organisation, application.user, values)
    audit_record(
        action=AuditAction.UPDATE,
        actor=by,
        organisation=organisation,
        object_type=APPLICATION,
        object_id=application.pk,
        fields=changed,
    )
    return True


def volunteers_import(
    *,
    by: User | None,
    organisation: Organisation,
    table: Table,
    file_name: str,
    dry_run: bool = False,
    sources: list[AddressSource] | None = None,
    progress: Progress | None = None,
) -> Report:
    report = Report("volunteers", file_name, dry_run)
    if report.lacks_columns(table.header, REQUIRED):
        return report
    locator = Locator(organisation, sources)
    vocab = (cells.dutch_labels(LANGUAGES), cells.dutch_labels(list(HelpKind.choices)))
    known = {
        a.extern_id: a
        for a in VolunteerApplication.objects.filter(organisation=organisation)
        .exclude(extern_id="")
        .select_related("user")
    }
    seen: set[str] = set()
    for number, row in counted(table.rows, progress):
        report.rows += 1
        try:
            extern_id = cells.short(row, "extern_id", 50)
            once_in_file(seen, extern_id)
            values = _values(locator, row, vocab)
            application = known.get(extern_id) if extern_id else None
            if (
                application is None
                and values["email"]
                and User.objects.filter(username__iexact=values["email"]).exists()
            ):
                raise RowError("email", f"email {values['email']} heeft al een account")
            with transaction.atomic():  # a dry run does the same work, then takes it back
                if application is None:
                    _create(by, organisation, extern_id, values)
                    report.created += 1
                elif _update(by, organisation, application, values):
                    report.updated += 1
                else:
                    report.unchanged += 1
                if dry_run:
                    transaction.set_rollback(True)
        except RowError as error:
            report.problems.append(RowProblem(number, error.column, error.reason))
        except IntegrityError:
            report.problems.append(RowProblem(number, "extern_id", "kon niet worden opgeslagen"))
    report_audit(report, organisation=organisation, by=by)
    return report
