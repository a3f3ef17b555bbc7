"""What the people app tells apps above it, without knowing them.

``residents_added``: residents were inserted in bulk (an import's ``bulk_create``), which sends
no ``post_save``; ``resident_ids`` names them, so followers such as the reach counts can catch up
in one go.
"""

from django.dispatch import Signal

residents_added = Signal()  # sender=Resident, resident_ids: list[int]
