"""Forms of the organisation's settings, its neighbourhood upload, and the platform administrator's screen."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from veerkracht.core.formstyle import StyledForm
from veerkracht.onboarding.organisation_settings import OUT_OF_SIGHT_DAYS, SMS_SENDER_MAX, OrganisationSettings

GEOGRAPHY_MAX_BYTES = 500 * 1024 * 1024  # CBS's whole-country GeoPackage is a few hundred MB


class OrganisationSettingsForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    out_of_sight_days = forms.IntegerField(
        label=_("Out of sight after (days)"),
        min_value=OUT_OF_SIGHT_DAYS[0],
        max_value=OUT_OF_SIGHT_DAYS[1],
        help_text=_("Residents with a vulnerability marker and no contact for this long appear on the worklist."),
    )
    retention_contact_years = forms.IntegerField(label=_("Keep residents and contacts (years after the last contact)"))
    retention_concern_years = forms.IntegerField(label=_("Keep concerns (years after closing)"))
    sms_sender = forms.CharField(
        label=_("SMS sender name"),
        max_length=SMS_SENDER_MAX,
        required=False,
        help_text=_("At most 11 letters, digits or spaces; empty: the platform's sender name."),
    )
    privacy_officer_name = forms.CharField(label=_("Privacy officer (FG): name"), max_length=200, required=False)
    privacy_officer_email = forms.EmailField(label=_("Privacy officer (FG): e-mail address"), required=False)
    privacy_officer_phone = forms.CharField(label=_("Privacy officer (FG): telephone"), max_length=30, required=False)
    postal_address = forms.CharField(
        label=_("Postal address"),
        max_length=200,
        required=False,
        help_text=_("For example Postbus 123, 1000 AB Amsterdam."),
    )
    phone = forms.CharField(
        label=_("Phone number for residents"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    public_languages = forms.MultipleChoiceField(
        label=_("Languages on public pages"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Dutch is always offered."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["public_languages"].choices = settings.LANGUAGES  # type: ignore[attr-defined]
        for name, maximum in (
            ("retention_contact_years", settings.RETENTION_CONTACT_YEARS_MAX),
            ("retention_concern_years", settings.RETENTION_CONCERN_YEARS_MAX),
        ):
            field = self.fields[name]
            field.help_text = _("At most %(maximum)d years (the platform's maximum).") % {"maximum": maximum}

    def settings(self) -> OrganisationSettings:
        return OrganisationSettings(**self.cleaned_data)


class GeographyUploadForm(StyledForm):
    file = forms.FileField(
        label=_("CBS neighbourhood file (GeoPackage or GeoJSON)"),
        help_text=_("The CBS Wijk- en buurtkaart as GeoPackage, or its buurten layer as GeoJSON; RD New or WGS84."),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, save nothing"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > GEOGRAPHY_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 500 MB: import it with veerkracht geography import.")
            )
        return upload


class OrganisationCreateForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name"), max_length=60, help_text=_("Lower-case letters, digits and hyphens, e.g. welzijn-oost.")
    )
    municipality_code = forms.CharField(
        label=_("CBS municipality code"), max_length=6, help_text=_("For example GM0363 (Amsterdam).")
    )
    city = forms.CharField(label=_("Municipality"), max_length=100, required=False)
    coordinator_email = forms.EmailField(label=_("The first coordinator's e-mail address"), required=False)
