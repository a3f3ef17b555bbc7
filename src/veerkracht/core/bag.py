"""Finding an address in the national address register (BAG): a position and a neighbourhood.

Two sources behind one interface (``AddressSource.find``):

- ``FileSource``: the addresses the organisation loaded once (``veerkracht addresses load``, a CSV
  of postcode;huisnummer;huisletter;toevoeging;straat;woonplaats;x;y in RD New), table
  ``core_registeredaddress``;
- ``LocatieserverSource``: PDOK's Locatieserver ``free`` endpoint, when ``PDOK_LOCATIESERVER_URL``
  is set (the server has internet). Its documents carry the centroid in RD (``centroide_rd``) and
  the CBS ``buurtcode``.

Every position is RD New (EPSG:28992) metres. An address found in neither source is *not found*:
the caller saves it flagged, never quietly at some centre.
"""

import json
import logging
import re
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from django.conf import settings

from veerkracht.core.models import Neighbourhood, Organisation, RegisteredAddress
from veerkracht.engines.geometry import geojson_contains

logger = logging.getLogger(__name__)
_POINT = re.compile(r"^POINT\(\s*(-?[0-9.]+)\s+(-?[0-9.]+)\s*\)$")


def suffix_key(*parts: str) -> str:
    """House letter and addition as one key: 'A', '2' → 'a2'; '-bis' → 'bis'."""
    return re.sub(r"[^0-9a-z]", "", "".join(parts).lower())


def postcode_key(postcode: str) -> str:
    """'1012 js' → '1012 JS' (the form households store)."""
    compact = re.sub(r"\s", "", postcode).upper()
    return f"{compact[:4]} {compact[4:]}" if len(compact) == 6 else compact


@dataclass(frozen=True)
class FoundAddress:
    postcode: str
    house_number: int
    suffix: str
    street: str
    city: str
    x: float  # RD New, metres
    y: float
    neighbourhood_code: str = ""  # CBS BU code when the source knows it
    source: str = ""


class AddressSource(Protocol):
    def find(self, postcode: str, house_number: int, suffix: str) -> FoundAddress | None: ...


class FileSource:
    """The organisation's own copy of the register."""

    def __init__(self, organisation_id: int) -> None:
        self.organisation_id = organisation_id

    def find(self, postcode: str, house_number: int, suffix: str) -> FoundAddress | None:
        row = RegisteredAddress.objects.filter(
            organisation_id=self.organisation_id,
            postcode=postcode_key(postcode),
            house_number=house_number,
            suffix=suffix_key(suffix),
        ).first()
        if row is None:
            return None
        return FoundAddress(
            row.postcode, row.house_number, row.suffix, row.street, row.city, row.x, row.y, source="file"
        )


class LoadedFileSource:
    """The organisation's whole address file read into memory once: for an import of many rows."""

    def __init__(self, organisation_id: int) -> None:
        self.rows = {
            (row.postcode, row.house_number, row.suffix): row
            for row in RegisteredAddress.objects.filter(organisation_id=organisation_id)
        }

    def find(self, postcode: str, house_number: int, suffix: str) -> FoundAddress | None:
        row = self.rows.get((postcode_key(postcode), house_number, suffix_key(suffix)))
        if row is None:
            return None
        return FoundAddress(
            row.postcode, row.house_number, row.suffix, row.street, row.city, row.x, row.y, source="file"
        )


Fetch = Callable[[str], dict[str, Any]]


def _fetch_json(url: str) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 - https setting
    with urllib.request.urlopen(request, timeout=settings.PDOK_LOCATIESERVER_TIMEOUT_S) as answer:  # noqa: S310
        return dict(json.load(answer))


class LocatieserverSource:
    """PDOK Locatieserver v3.1 ``free``: https://api.pdok.nl/bzk/locatieserver/search/v3_1/ui/ (documentation)."""

    def __init__(self, base_url: str, fetch: Fetch = _fetch_json) -> None:
        self.base_url, self.fetch = base_url.rstrip("/"), fetch

    def url(self, postcode: str, house_number: int) -> str:
        compact = re.sub(r"\s", "", postcode).upper()
        query = f"postcode:{compact} and huisnummer:{house_number}"
        return f"{self.base_url}/free?" + urllib.parse.urlencode({"q": query, "fq": "type:adres", "rows": 20})

    def find(self, postcode: str, house_number: int, suffix: str) -> FoundAddress | None:
        try:
            answer = self.fetch(self.url(postcode, house_number))
        except (OSError, ValueError):
            logger.warning("The Locatieserver did not answer; the address is treated as not found.")
            return None
        wanted = suffix_key(suffix)
        for doc in (answer.get("response") or {}).get("docs") or []:
            found = _from_doc(doc)
            if found is not None and found.house_number == house_number and found.suffix == wanted:
                return found
        return None


def _from_doc(doc: dict[str, Any]) -> FoundAddress | None:
    point = _POINT.match(str(doc.get("centroide_rd") or ""))
    if point is None or doc.get("type") != "adres":
        return None
    return FoundAddress(
        postcode=postcode_key(str(doc.get("postcode", ""))),
        house_number=int(doc.get("huisnummer") or 0),
        suffix=suffix_key(str(doc.get("huisletter") or ""), str(doc.get("huisnummertoevoeging") or "")),
        street=str(doc.get("straatnaam") or ""),
        city=str(doc.get("woonplaatsnaam") or ""),
        x=float(point.group(1)),
        y=float(point.group(2)),
        neighbourhood_code=str(doc.get("buurtcode") or ""),
        source="locatieserver",
    )


def sources_for(organisation_id: int, *, preload: bool = False) -> list[AddressSource]:
    """The organisation's file first; the Locatieserver after it when the server may use the internet.

    ``preload``: read the whole file once (imports), instead of one query per address.
    """
    sources: list[AddressSource] = [LoadedFileSource(organisation_id) if preload else FileSource(organisation_id)]
    if settings.PDOK_LOCATIESERVER_URL:
        sources.append(LocatieserverSource(settings.PDOK_LOCATIESERVER_URL))
    return sources


def address_find(
    organisation_id: int, postcode: str, house_number: int, suffix: str, sources: list[AddressSource] | None = None
) -> FoundAddress | None:
    for source in sources if sources is not None else sources_for(organisation_id):
        found = source.find(postcode, house_number, suffix)
        if found is not None:
            return found
    return None


def neighbourhood_of(
    organisation: Organisation | int, found: FoundAddress, candidates: list[Neighbourhood] | None = None
) -> Neighbourhood | None:
    """The neighbourhood by the source's CBS code, else the one whose outline holds the position.

    ``candidates``: the organisation's neighbourhoods read once, for an import of many rows.
    """
    organisation_id = organisation if isinstance(organisation, int) else organisation.pk
    if candidates is None:
        candidates = list(Neighbourhood.objects.filter(organisation_id=organisation_id))
    if found.neighbourhood_code:
        for neighbourhood in candidates:
            if neighbourhood.code == found.neighbourhood_code:
                return neighbourhood
    for neighbourhood in candidates:
        if neighbourhood.boundary and geojson_contains(neighbourhood.boundary, found.x, found.y):
            return neighbourhood
    return None
