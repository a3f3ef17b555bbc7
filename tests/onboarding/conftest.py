"""The organisation's address register for the import tests: three addresses in neighbourhood south."""

import pytest

from tests.conftest import Cast
from veerkracht.onboarding.address_file import addresses_load
from veerkracht.onboarding.tabular import read_table

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[121000, 487000], [122000, 487000], [122000, 488000], [121000, 488000], [121000, 487000]]],
}


@pytest.fixture
def register(cast: Cast) -> Cast:
    """Neighbourhood south covers the square; the address file has three addresses in it."""
    cast.south.boundary = SQUARE
    cast.south.save()
    text = (
        "postcode;huisnummer;huisletter;toevoeging;straat;woonplaats;x;y\n"
        "1091AB;12;;;Wijttenbachstraat;Amsterdam;121500;487500\n"
        "1091AB;14;B;;Wijttenbachstraat;Amsterdam;121520;487520\n"
        "1091AB;16;;;Wijttenbachstraat;Amsterdam;121540;487540\n"
        "1091AB;99;;;Buitenweg;Amsterdam;130000;487540\n"
    )
    addresses_load(by=None, organisation=cast.organisation, table=read_table(text.encode()), file_name="a.csv")
    return cast
