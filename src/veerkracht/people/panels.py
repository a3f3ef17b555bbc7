"""The panels that apps above people add to a resident's page (the contact log, registering for an activity).

People draws the page but may not import those apps (docs/layers.md): each registers its panel
from its ``AppConfig.ready``, with what it reads for the signed-in user and the resident.
"""

from veerkracht.core.models import User
from veerkracht.core.panels import Panel, Panels
from veerkracht.people.models import Resident

ResidentPanel = Panel[[User, Resident]]
resident_panels: Panels[[User, Resident]] = Panels("panel of the resident's page")
