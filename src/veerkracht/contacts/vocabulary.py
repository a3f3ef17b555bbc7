"""Topic tags for contacts, shared so the dashboards can count them."""

from django.utils.translation import gettext_lazy as _

TOPICS = [
    ("loneliness", _("Loneliness")),
    ("money", _("Money")),
    ("health", _("Health")),
    ("housing", _("Housing")),
    ("safety", _("Safety")),
    ("food", _("Food and groceries")),
    ("digital", _("Digital help")),
    ("care", _("Care for others")),
    ("activities", _("Activities")),
    ("neighbours", _("Neighbours")),
    ("corona", _("Corona measures")),
    ("other", _("Other")),
]
TOPIC_CODES = frozenset(code for code, _name in TOPICS)
