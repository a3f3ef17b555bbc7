"""Public pages of meeting places: the list with its map, and one place. No login needed."""

from collections.abc import Iterable

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from veerkracht.core.middleware import multilingual
from veerkracht.core.models import Neighbourhood, Organisation
from veerkracht.core.public_languages import narrow_to
from veerkracht.places import maps
from veerkracht.places.capacity import rule_for
from veerkracht.places.forms import PlaceFilterForm
from veerkracht.places.models import Place
from veerkracht.places.panels import place_panels
from veerkracht.places.presentation import opening_days, place_entry

PAGE_SIZE = 25


def _spots(places: Iterable[tuple[int, str, float | None, float | None]]) -> list[maps.Spot]:
    return [maps.Spot(pk, name, x, y) for pk, name, x, y in places if x is not None and y is not None]


@multilingual
@require_safe
def place_list(request: HttpRequest) -> HttpResponse:
    """All meeting places (or one organisation's), filtered, with a map of the filtered places."""
    organisations = list(
        Organisation.objects.filter(places__isnull=False).distinct().order_by("name").values_list("slug", "name")
    )
    form = PlaceFilterForm(request.GET or None, organisations=organisations)
    places = form.filter(Place.objects.all())
    page = Paginator(places.select_related("organisation", "neighbourhood").order_by("name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    located = list(places.order_by("name", "id").values_list("id", "name", "x", "y", "organisation_id"))
    # The map shows the neighbourhoods of every organisation whose places are listed, so it keeps its
    # shape while the filters change.
    organisation_ids = {row[4] for row in located}
    neighbourhoods = Neighbourhood.objects.filter(organisation_id__in=organisation_ids).only("name", "boundary")
    drawing = maps.overview(_spots([row[:4] for row in located]), maps.outlines(neighbourhoods))
    context = {
        "form": form,
        "page": page,
        "entries": [place_entry(place) for place in page.object_list],
        "drawing": drawing,
        "show_organisations": len(organisations) > 1,
    }
    return render(request, "places/place_list.html", context)


@multilingual
@require_safe
def place_detail(request: HttpRequest, place_id: int) -> HttpResponse:
    """One meeting place: everything public about it, a map around it, and the panels of the apps above
    (what happens there soon)."""
    place = Place.objects.select_related("organisation", "neighbourhood").filter(pk=place_id).first()
    if place is None:
        raise Http404
    narrow_to(request, place.organisation)
    drawing = None
    bounds = maps.nearby_bounds(place)
    if bounds is not None:
        nearby = Place.objects.filter(
            x__range=(bounds.min_x, bounds.max_x), y__range=(bounds.min_y, bounds.max_y)
        ).values_list("id", "name", "x", "y")
        neighbourhoods = Neighbourhood.objects.filter(organisation_id=place.organisation_id).only("name", "boundary")
        drawing = maps.surroundings(place, _spots(list(nearby)), maps.outlines(neighbourhoods))
    context = {
        "place": place,
        "entry": place_entry(place),
        "rule": rule_for(place, place.organisation),
        "days": opening_days(place),
        "drawing": drawing,
        **place_panels.drawn(place),
    }
    return render(request, "places/place_detail.html", context)
