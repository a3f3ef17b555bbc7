"""Pages of insights: the dashboard, table exports, the workers' pulse and the neighbourhood survey."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from veerkracht.core import throttle
from veerkracht.core.access import Capability, request_user, within_organisation
from veerkracht.core.channels import Channel
from veerkracht.core.decorators import capability_required
from veerkracht.core.middleware import multilingual
from veerkracht.core.models import Neighbourhood, Team
from veerkracht.core.origin import client_ip
from veerkracht.core.pagecache import cached_per_session
from veerkracht.core.replica import lagging_reads
from veerkracht.core.roles import Role
from veerkracht.core.spreadsheets import csv_download
from veerkracht.core.tenancy import acting_for, as_anonymous
from veerkracht.insights import charts, selectors, services
from veerkracht.insights.exports import xlsx
from veerkracht.insights.forms import FilterForm, NewSurveyForm, PulseForm, SurveyForm
from veerkracht.insights.models import Survey
from veerkracht.insights.periods import recent_quarters
from veerkracht.insights.quarterly import quarterly_pdf
from veerkracht.insights.tables import Table, legend

SURVEY_ANSWERS_PER_HOUR = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest) -> tuple[FilterForm, selectors.Scope, selectors.Scope]:
    user = request_user(request)
    areas = Neighbourhood.objects.filter(pk__in=selectors.scope_of(user).neighbourhood_ids).order_by("name")
    teams = within_organisation(Team.objects.all(), user).filter(neighbourhoods__in=areas).distinct().order_by("name")
    form = FilterForm(request.GET or None, neighbourhoods=areas, teams=teams)
    valid = form.is_valid()
    chosen, team = (form.cleaned_data.get("neighbourhood"), form.cleaned_data.get("team")) if valid else (None, None)
    area, team_id = (chosen.pk if chosen else None), (team.pk if team else None)
    return (
        form,
        selectors.scope_of(user, area, team_id=team_id),
        selectors.scope_of(user, area, team_id=team_id, export=True),
    )


def _tables(request: HttpRequest, scope: selectors.Scope, form: FilterForm) -> dict[str, object]:
    user = request_user(request)
    first, last = form.period()
    chosen = form.cleaned_data.get("compare_at") if form.is_valid() else None
    # Whole months only (periods.checked_compare_at); without a choice, the period's middle month.
    months = selectors.month_range(first, last)
    compare_at = chosen.replace(day=1) if chosen else months[len(months) // 2]
    days = (form.cleaned_data.get("days") if form.is_valid() else None) or 30
    group = (form.cleaned_data.get("group") if form.is_valid() else None) or None
    reach = selectors.reach(scope, days)
    mix = selectors.channel_mix(scope, first, last, compare_at)
    kinds, activities = selectors.bridging(scope, first, last)
    survey = selectors.surveys_of(user).first()
    return {
        "mix": mix,
        "reach": reach,
        "reach_shown": [t for t in reach if not group or t.name in (f"reach_{group}", "out_of_sight")],
        "pulse": selectors.pulse(user, scope, first, last),
        "survey": survey,
        "survey_tables": selectors.survey_results(survey, scope) if survey else [],
        "bridging": kinds,
        "activities": activities[:15],
        "help": selectors.help_exchange(user, scope, first, last),
        "first": first,
        "last": last,
        "compare_at": compare_at,
        "days": days,
    }


@capability_required(Capability.VIEW_AGGREGATES)
@never_cache
@cached_per_session(settings.DASHBOARD_CACHE_SECONDS)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Channel mix, reach, pulse, survey, bridging and help exchange, with a table beside every chart."""
    form, scope, _export = _filters(request)
    with lagging_reads():  # figures a few seconds old are fine: from the replica when there is one
        context = _tables(request, scope, form)
    mix = context["mix"]
    if not isinstance(mix, selectors.ChannelMix):  # pragma: no cover - _tables always puts one there
        raise TypeError(mix)
    context |= {
        "form": form,
        "rounded": not scope.entitled,
        "mix_chart": charts.paired_shares(
            _("Share of contact time per channel, before and after"),
            [(label, *mix.minutes_before_after[code]) for code, label in _channel_labels()],
        ),
        "pulse_chart": _pulse_chart(context["pulse"]),
        "reach_chart": _reach_chart(context["reach"]),
        "query": request.GET.urlencode(),
        "legend": legend(),
        "quarters": recent_quarters(),
        "last_quarter": recent_quarters()[1],  # the last whole quarter: what a report is usually asked for
    }
    return render(request, "insights/dashboard.html", context)


def _pulse_chart(table: object) -> charts.Chart:
    """Per month, the share of answers saying the assignment can be carried out."""
    if not isinstance(table, Table):  # pragma: no cover - _tables always puts one there
        raise TypeError(table)
    return charts.shares(
        _("Can carry out the assignment, per month"),
        [(label, line[0].share) for label, line in zip(table.rows, table.protected.cells, strict=True)],
    )


def _reach_chart(tables: object) -> charts.Chart:
    """Per target group, the share of residents reached (all neighbourhoods in view together)."""
    if not isinstance(tables, list):  # pragma: no cover
        raise TypeError(tables)
    rows = []
    for table in tables:
        if table.name.startswith("reach_"):
            reached, total = table.protected.column_totals[0], table.protected.total
            share = (
                None
                if reached.suppressed or total.suppressed or not total.count
                else (reached.count or 0) / total.count
            )
            rows.append((table.title.split(": ", 1)[-1], share))
    return charts.shares(_("Share of residents reached, per target group"), rows)


def _channel_labels() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in Channel.choices]


def _find(tables: dict[str, object], name: str) -> Table:
    """The dashboard's table called ``name``: the ones shown on their own and those inside a figure."""
    mix, help_figures = tables["mix"], tables["help"]
    if not isinstance(mix, selectors.ChannelMix) or not isinstance(help_figures, selectors.HelpFigures):
        raise TypeError(name)  # pragma: no cover - _tables always builds both
    shown = [mix.contacts, mix.compare, help_figures.kinds, tables["pulse"], tables["bridging"]]
    lists = [tables["reach"], tables["survey_tables"]]
    for table in shown + [item for group in lists if isinstance(group, list) for item in group]:
        if isinstance(table, Table) and table.name == name:
            return table
    raise Http404


@capability_required(Capability.VIEW_AGGREGATES)
def export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """One table of the dashboard as CSV or XLSX; exports are always rounded to multiples of 5."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    form, _scope, scope = _filters(request)
    with lagging_reads():
        table = _find(_tables(request, scope, form), name)
    if fmt == "csv":
        return csv_download(table.csv(), f"veerkracht-{name}.csv")
    response = HttpResponse(xlsx(table), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="veerkracht-{name}.xlsx"'
    return response


@capability_required(Capability.VIEW_AGGREGATES)
def quarterly(request: HttpRequest) -> HttpResponse:
    """The one-page quarterly report (kwartaalrapportage) for the funder, as PDF."""
    user = request_user(request)
    try:
        pdf = quarterly_pdf(user, request.GET.get("quarter", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("insights:dashboard")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="kwartaalrapportage.pdf"'
    return response


@capability_required(Capability.ANSWER_PULSE)
@require_http_methods(["GET", "POST"])
def pulse(request: HttpRequest) -> HttpResponse:
    """The workers' weekly check-in: three questions, one minute."""
    user = request_user(request)
    form = PulseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.pulse_answer(by=user, **form.cleaned_data)
        messages.success(request, _("Thank you. Your answer for this week has been saved."))
        return redirect("home")
    return render(request, "insights/pulse.html", {"form": form})


@capability_required(Capability.VIEW_AGGREGATES)
@require_http_methods(["GET", "POST"])
def surveys(request: HttpRequest) -> HttpResponse:
    """The organisation's surveys with their public links; coordinators start a new one."""
    user = request_user(request)
    form = NewSurveyForm(request.POST or None) if user.role == Role.COORDINATOR else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.survey_create(by=user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The survey is open. Share its link or print it."))
            return redirect("insights:surveys")
    return render(request, "insights/surveys.html", {"surveys": selectors.surveys_of(user), "form": form})


@capability_required(Capability.ANSWER_PULSE)
@require_http_methods(["GET", "POST"])
def survey_paper(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A worker types over a paper answer."""
    user = request_user(request)
    survey = get_object_or_404(within_organisation(Survey.objects.all(), user), pk=survey_id)
    return _survey_form(request, survey, entered_by=user)


@multilingual
@require_http_methods(["GET", "POST"])
def survey_public(request: HttpRequest, token: str) -> HttpResponse:
    """The public survey: anonymous, no name or address asked."""
    with as_anonymous():  # found by its link, the same for everyone
        survey = get_object_or_404(Survey, token=token, is_open=True)
        with acting_for(survey.organisation_id):  # row-level security: the answer is the survey's organisation's
            return _survey_form(request, survey, entered_by=None)


def _survey_form(request: HttpRequest, survey: Survey, *, entered_by: object) -> HttpResponse:
    areas = Neighbourhood.objects.filter(organisation_id=survey.organisation_id).order_by("name")
    form = SurveyForm(request.POST or None, neighbourhoods=areas, since=survey.since)
    if request.method == "POST" and form.is_valid():
        if entered_by is None and throttle.over_rate(
            "survey", client_ip(request), limit=SURVEY_ANSWERS_PER_HOUR, window_s=3600
        ):
            form.add_error(None, _("Too many answers from this address. Try again in an hour."))
        else:
            try:
                services.survey_answer(survey=survey, entered_by=entered_by, **form.cleaned_data)  # type: ignore[arg-type]
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Thank you for your answer."))
                return redirect(request.path)
    return render(
        request, "insights/survey_form.html", {"survey": survey, "form": form, "paper": entered_by is not None}
    )
