"""Fixed lists for residents: vulnerability markers and the languages workers meet."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# ISO 639 codes (three letters where no two-letter code exists) of languages common in Dutch
# neighbourhoods, with Dutch as the default.
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
    ("ber", _("Tamazight (Berber)")),
    ("pap", _("Papiamento")),
    ("srn", _("Sranan Tongo")),
    ("pl", _("Polish")),
    ("bg", _("Bulgarian")),
    ("ro", _("Romanian")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("so", _("Somali")),
    ("ti", _("Tigrinya")),
    ("fa", _("Persian")),
    ("prs", _("Dari")),
    ("ku", _("Kurdish")),
    ("zh", _("Chinese")),
    ("hi", _("Hindi")),
    ("ur", _("Urdu")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
    ("de", _("German")),
]
LANGUAGE_CODES = frozenset(code for code, _name in LANGUAGES)

MARKERS = {
    "aged_75_plus": _("75+"),
    "lives_alone": _("lives alone"),
    "older_migrant": _("older migrant"),
    "low_digital_skills": _("low digital skills"),
    "limited_mobility": _("limited mobility"),
    "informal_carer": _("informal carer"),
}


def marker_filter(marker: str, *, this_year: int) -> Q:
    """The filter for one marker; 75+ follows from the year of birth."""
    if marker == "aged_75_plus":
        return Q(birth_year__lte=this_year - 75)
    if marker not in MARKERS:
        raise ValueError(f"unknown marker {marker!r}")
    return Q(**{marker: True})


def any_marker_filter(*, this_year: int) -> Q:
    """Residents with at least one vulnerability marker."""
    combined = Q()
    for marker in MARKERS:
        combined |= marker_filter(marker, this_year=this_year)
    return combined
