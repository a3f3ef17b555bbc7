"""Where an imported row's address lies: its position (RD New) and neighbourhood, or a Dutch refusal."""

from veerkracht.core.bag import AddressSource, FoundAddress, address_find, neighbourhood_of, sources_for, suffix_key
from veerkracht.core.models import Neighbourhood, Organisation
from veerkracht.onboarding import cells
from veerkracht.onboarding.reporting import RowError


class Locator:
    """The address sources and the organisation's neighbourhoods, read once for a whole file."""

    def __init__(self, organisation: Organisation, sources: list[AddressSource] | None = None) -> None:
        self.organisation = organisation
        self.sources = sources if sources is not None else sources_for(organisation.pk, preload=True)
        self.neighbourhoods = list(Neighbourhood.objects.filter(organisation=organisation))

    def locate(self, postcode: str, house_number: int, suffix: str) -> tuple[FoundAddress, Neighbourhood]:
        found = address_find(self.organisation.pk, postcode, house_number, suffix, self.sources)
        number = f"{house_number}{suffix}"
        if found is None:
            raise RowError("postcode", f"postcode {postcode} huisnummer {number} niet gevonden")
        neighbourhood = neighbourhood_of(self.organisation, found, self.neighbourhoods)
        if neighbourhood is None:
            raise RowError("postcode", f"postcode {postcode} huisnummer {number} ligt in geen buurt van de organisatie")
        return found, neighbourhood


def address_cells(row: dict[str, str]) -> tuple[str, int, str]:
    """postcode, huisnummer and huisletter + toevoeging of a row."""
    postcode = cells.postcode(row)
    number = cells.whole_number(row, "huisnummer", minimum=1) or 0
    return postcode, number, suffix_key(cells.short(row, "huisletter", 1), cells.short(row, "toevoeging", 4))
