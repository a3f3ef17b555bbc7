"""The panels that apps above places add to a place's public page (the coming activities there).

Places draws the page but may not import those apps (docs/layers.md): each registers its panel
from its ``AppConfig.ready``.
"""

from veerkracht.core.panels import Panel, Panels
from veerkracht.places.models import Place

PlacePanel = Panel[[Place]]
place_panels: Panels[[Place]] = Panels("panel of a place's page")
