"""NL Design System classes on Django form widgets, and service errors shown on the form."""

from collections.abc import Iterator
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from veerkracht.core.models import Team
from veerkracht.core.windows import form_validator

_CLASSES: list[tuple[type[forms.widgets.Widget], str]] = [
    (forms.CheckboxSelectMultiple, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.RadioSelect, "utrecht-radio-button utrecht-radio-button--html-input"),
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.widgets.Input, "utrecht-textbox utrecht-textbox--html-input"),
]


class ListedChoices(ModelChoiceIterator):
    """A model choice list read with one plain query, kept with the form's copy of the queryset.

    Django's own iterator reads the choices through ``QuerySet.iterator()``: on PostgreSQL a
    server-side cursor (DECLARE, FETCH, CLOSE: three round trips and a held result) that suits
    millions of rows, not the handful of neighbourhoods or places a form offers.
    """

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


# What a browser's date and time boxes read and write, whatever the page's language: a Dutch
# "31-12-2026" in an <input type="date"> is thrown away and the box shows empty.
BROWSER_FORMATS = {"date": "%Y-%m-%d", "datetime-local": "%Y-%m-%dT%H:%M", "time": "%H:%M"}
# A date box the browser draws; StyledForm gives it the format above.
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _browser_format(widget: forms.Widget) -> None:
    if isinstance(widget, forms.DateInput | forms.DateTimeInput | forms.TimeInput):
        browser = BROWSER_FORMATS.get(widget.input_type)
        if browser:
            widget.format = browser


class StyledForm(forms.Form):
    """A form whose widgets carry the NL Design System classes, and whose dates lie in their window.

    ``past_dates`` names the date fields that record something done, which cannot lie ahead.
    """

    past_dates: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField):  # the copy of this form only
                field.validators.append(form_validator(past_only=name in self.past_dates))
            _browser_format(field.widget)
            if isinstance(field, forms.ModelChoiceField):
                field.iterator = ListedChoices
                field.widget.choices = field.choices  # the widget keeps its own list
            for widget_type, classes in _CLASSES:
                if isinstance(field.widget, widget_type):
                    field.widget.attrs.setdefault("class", classes)
                    break

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's validation errors on the matching fields, others above the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)


def person_label(user: Any, teams: list[str]) -> str:
    """A person as a picker shows them: "Anna de Vries · Wijkteam Noord", or their role without a team.

    Login names ("pro_south") mean nothing to a colleague, and two people of the same name are told
    apart by their team.
    """
    return f"{user.display_name} · {', '.join(sorted(teams)) or user.get_role_display()}"


class _TeamsOfChoices:
    """Every offered person's teams in one query for the whole list, not one per option.

    The rows may be people, or records that name a person (``person_attribute="helper"`` for a help
    offer): the label is that person's.
    """

    queryset: Any
    _teams: dict[int, list[str]] | None = None

    def __init__(self, *args: Any, person_attribute: str = "", **kwargs: Any) -> None:
        self.person_attribute = person_attribute
        super().__init__(*args, **kwargs)

    def person_of(self, row: Any) -> Any:
        return getattr(row, self.person_attribute) if self.person_attribute else row

    def teams_of(self, row: Any) -> list[str]:
        if self._teams is None:
            ids = [self.person_of(each).pk for each in self.queryset]  # the list's own rows, already read
            memberships = Team.members.through.objects.filter(user_id__in=ids).values_list("user_id", "team__name")
            self._teams = {}
            for user_id, name in memberships:
                self._teams.setdefault(user_id, []).append(name)
        return self._teams.get(self.person_of(row).pk, [])


class PersonChoiceField(_TeamsOfChoices, forms.ModelChoiceField):  # type: ignore[type-arg]
    """A choice of one person by name and team, not by login name."""

    def label_from_instance(self, obj: Any) -> str:
        return person_label(self.person_of(obj), self.teams_of(obj))


class PeopleChoiceField(_TeamsOfChoices, forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """A choice of several people by name and team, not by login name."""

    def label_from_instance(self, obj: Any) -> str:
        return person_label(self.person_of(obj), self.teams_of(obj))
