"""The panel on a resident's page that shows their home on a map of their neighbourhood.

Places draws maps; people draws the resident's page but may not import places (docs/layers.md),
so places registers this panel. The marker is the household's stored position (RD New), never the
neighbourhood's centre: a household whose address was not found gets no marker, only the outline.
"""

from typing import Any

from veerkracht.core.models import User
from veerkracht.people.models import Resident
from veerkracht.places import maps


def resident_map_context(user: User, resident: Resident) -> dict[str, Any]:
    """What ``places/resident_map.html`` reads; ``user`` may see the resident (the page checked)."""
    household = resident.household
    if household is None:  # erased: no address, no map
        return {"home_map": None}
    position = None if household.address_not_found else (household.x, household.y)
    return {"home_map": maps.home(resident.neighbourhood, position)}
