"""Forms of the import in the browser: the file and what it holds, then each column's meaning."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from veerkracht.core.formstyle import StyledForm
from veerkracht.onboarding.importers import COLUMNS
from veerkracht.onboarding.models import ImportKind

# What a coordinator imports in the browser; the address file is loaded on the command line too.
KINDS = [(kind.value, kind.label) for kind in (ImportKind.RESIDENTS, ImportKind.VOLUNTEERS, ImportKind.PLACES)]
KINDS.append((ImportKind.ADDRESSES.value, _("Address file (BAG)")))


class UploadForm(StyledForm):
    kind = forms.ChoiceField(label=_("What does the file hold?"), choices=KINDS, widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("File"),
        allow_empty_file=True,  # the service says why an empty file cannot be imported
        help_text=_("CSV (separated by ; or ,) or Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )


class MappingForm(StyledForm):
    """One choice per column of the file: which default column it is, or none."""

    def __init__(self, *args: Any, kind: str, mapping: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("(do not use)")), *((column, column) for column in COLUMNS[kind])]
        self.columns = list(mapping)
        for index, column in enumerate(self.columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column or _("(column without a name)"),
                choices=choices,
                required=False,
                initial=mapping[column],
                widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
            )

    def mapping(self) -> dict[str, str]:
        return {column: self.cleaned_data.get(f"column_{index}") or "" for index, column in enumerate(self.columns)}
