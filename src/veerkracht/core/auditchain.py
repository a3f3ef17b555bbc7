"""The audit log as a hash chain per organisation: sealed in batches, verified end to end.

Each seal covers the organisation's events with ids after the previous seal's last event up to
its own last event, in id order, and its hash is SHA-256 over the previous seal's hash and the
canonical form of each of those events. Changing, removing or inserting an event in a sealed
range, or changing a seal, breaks the chain from there on, which ``audit_verify`` reports.

Only events older than ``SEAL_DELAY`` are sealed: ids are handed out when a row is inserted but
become visible when its transaction commits, so a slightly older id can appear a moment later.
The application's transactions last well under a minute.

Each seal is also signed: HMAC-SHA256 over the link (organisation, sequence, event range, count,
previous hash, hash) with ``AUDIT_SEAL_KEY``, a key from the environment that the database does
not hold. Whoever can write the tables (their owner, a restored backup) could otherwise change
events and recompute every hash; without the key they cannot sign the rewritten links, and
``audit_verify`` names the first one. Removing the newest seals and their events together is not
caught by the signatures alone (docs/adr/0017-row-level-security-everywhere.md).
"""

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from veerkracht.core.audit import address_digest
from veerkracht.core.dbroles import ALL
from veerkracht.core.models import AuditAddress, AuditEvent, AuditSeal
from veerkracht.core.tenancy import organisation_context

SEAL_DELAY = timedelta(seconds=60)
GENESIS = "0" * 64
FIELDS = (
    "id",
    "at",
    "organisation_id",
    "actor_id",
    "on_behalf_of_id",
    "action",
    "object_type",
    "object_id",
    "fields",
    "result",
    "ip",
)


def _canonical(event: dict[str, Any]) -> bytes:
    values = [_plain(event[name]) for name in FIELDS]
    # Events since ADR 18 hold a digest of their IP address instead of the address; events from
    # before keep their old form, so the seals made then still verify.
    if event["request_id"]:
        # Events that know their request hold both, so neither value can move to the other's column.
        values.extend((event["ip_digest"], event["request_id"]))
    elif event["ip_digest"]:
        values.append(event["ip_digest"])
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False, default=str).encode() + b"\n"


def _plain(value: object) -> object:
    """Times in one notation whatever the database returns (UTC, ISO 8601)."""
    return value.astimezone(UTC).isoformat() if isinstance(value, datetime) else value


def _digest(previous: str, events: Iterable[dict[str, Any]]) -> tuple[str, int]:
    digest, count = hashlib.sha256(previous.encode()), 0
    for event in events:
        digest.update(_canonical(event))
        count += 1
    return digest.hexdigest(), count


def seal_signature(seal: AuditSeal) -> str:
    """The seal's HMAC with the key from the environment."""
    link = "|".join(
        str(value)
        for value in (
            seal.organisation_id or "",
            seal.sequence,
            seal.first_event_id,
            seal.last_event_id,
            seal.events,
            seal.previous_hash,
            seal.hash,
        )
    )
    return hmac.new(settings.AUDIT_SEAL_KEY.encode(), link.encode(), hashlib.sha256).hexdigest()


def _place(organisation_id: int | None) -> Q:
    return Q(organisation__isnull=True) if organisation_id is None else Q(organisation_id=organisation_id)


def _events(organisation_id: int | None, after: int, up_to: int | None = None) -> Iterator[dict[str, Any]]:
    events = AuditEvent.objects.filter(_place(organisation_id), id__gt=after)
    if up_to is not None:
        events = events.filter(id__lte=up_to)
    columns = (*FIELDS, "ip_digest", "request_id")
    rows: Iterator[dict[str, Any]] = events.order_by("id").values(*columns).iterator(chunk_size=2000)
    return rows


def _seal_one(organisation_id: int | None, now: datetime) -> AuditSeal | None:
    last = AuditSeal.objects.filter(_place(organisation_id)).order_by("-sequence").first()
    after = last.last_event_id if last else 0
    ready = AuditEvent.objects.filter(_place(organisation_id), id__gt=after, at__lt=now - SEAL_DELAY)
    newest = ready.order_by("-id").values_list("id", flat=True).first()
    if newest is None:
        return None
    previous = last.hash if last else GENESIS
    digest, count = _digest(previous, _events(organisation_id, after, newest))
    first = (
        AuditEvent.objects.filter(_place(organisation_id), id__gt=after)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    try:
        seal = AuditSeal(
            organisation_id=organisation_id,
            sequence=(last.sequence if last else 0) + 1,
            first_event_id=first or newest,
            last_event_id=newest,
            events=count,
            previous_hash=previous,
            hash=digest,
        )
        seal.signature = seal_signature(seal)
        with transaction.atomic():
            seal.save(force_insert=True)
            return seal
    except IntegrityError:  # another sealer added this link first; the chain stays single
        return None


def audit_seal(now: datetime | None = None) -> int:
    """Seal every organisation's unsealed events (older than the delay); returns the seals made."""
    now = now or timezone.now()
    with organisation_context(ALL):  # every organisation's chain, whoever runs it
        places = set(AuditEvent.objects.values_list("organisation_id", flat=True).distinct())
        ordered = sorted(places, key=lambda p: (p is not None, p or 0))
        return sum(_seal_one(place, now) is not None for place in ordered)


def audit_verify() -> list[str]:
    """Recompute every chain and check every signature; the problems found, in plain words (empty: intact)."""
    with organisation_context(ALL):
        return _verify()


def _verify() -> list[str]:
    problems: list[str] = []
    places = set(AuditSeal.objects.values_list("organisation_id", flat=True).distinct())
    for place in sorted(places, key=lambda p: (p is not None, p or 0)):
        previous, after = GENESIS, 0
        for seal in AuditSeal.objects.filter(_place(place)).order_by("sequence"):
            digest, count = _digest(previous, _events(place, after, seal.last_event_id))
            name = f"organisation {place}, seal {seal.sequence}"
            if not hmac.compare_digest(seal.signature, seal_signature(seal)):
                problems.append(f"{name}: the signature does not match (the chain was rewritten, or another key)")
            elif seal.previous_hash != previous:
                problems.append(f"{name}: the link to the seal before it is broken")
            elif count != seal.events:
                problems.append(f"{name}: {seal.events} events were sealed, {count} are there now")
            elif digest != seal.hash:
                problems.append(f"{name}: the events differ from what was sealed")
            previous, after = seal.hash, seal.last_event_id
    problems.extend(_changed_addresses())
    return problems


def _changed_addresses() -> list[str]:
    """An IP address kept apart must still match the digest its events sealed."""
    return [
        f"the IP address of digest {address.digest[:12]}… differs from what was sealed"
        for address in AuditAddress.objects.iterator(chunk_size=2000)
        if address_digest(address.salt, str(address.ip)) != address.digest
    ]
