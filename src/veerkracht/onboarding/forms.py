"""Forms of going live: inviting a colleague, accepting an invitation, changing a colleague's role and teams."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from veerkracht.core.access import MANAGED_ACCOUNT_ROLES
from veerkracht.core.formstyle import StyledForm
from veerkracht.core.models import Team
from veerkracht.core.roles import JobTitle, Role
from veerkracht.onboarding.services import INVITABLE_ROLES, Acceptance, MemberChange, StaffInvite


def _role_choices(roles: tuple[Role, ...]) -> list[tuple[str, Any]]:
    return [(role.value, role.label) for role in roles]


_JOB_TITLES = [("", _("(only for professionals)")), *JobTitle.choices]


class InviteForm(StyledForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Surname"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices(INVITABLE_ROLES))
    job_title = forms.ChoiceField(label=_("Job title"), choices=_JOB_TITLES, required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["team"].widget.choices = self.fields["team"].choices  # type: ignore[attr-defined]

    def invite(self) -> StaffInvite:
        data = self.cleaned_data
        team = data.get("team")
        return StaffInvite(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            role=data["role"],
            team_id=team.pk if team is not None else None,
            job_title=data.get("job_title") or "",
        )


class AcceptForm(StyledForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Surname"), max_length=150)
    email = forms.EmailField(label=_("E-mail (your login name)"))
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, email_known: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if email_known:
            del self.fields["email"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords are not the same."))
        return data

    def acceptance(self) -> Acceptance:
        data = self.cleaned_data
        return Acceptance(data["first_name"], data["last_name"], data.get("email", ""), data["password"])


class MemberForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=_role_choices(MANAGED_ACCOUNT_ROLES))
    job_title = forms.ChoiceField(label=_("Job title"), choices=_JOB_TITLES, required=False)
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"), queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]
        self.fields["teams"].widget.choices = self.fields["teams"].choices  # type: ignore[attr-defined]

    def change(self) -> MemberChange:
        data = self.cleaned_data
        return MemberChange(
            role=data["role"],
            team_ids=frozenset(team.pk for team in data["teams"]),
            job_title=data.get("job_title") or "",
        )


class ResidentInviteForm(StyledForm):
    """The language of a resident's invitation, which becomes the language of their own pages."""

    language = forms.ChoiceField(label=_("Language of the invitation and of the resident's pages"))

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages  # type: ignore[attr-defined]


class ResidentAcceptForm(StyledForm):
    """A resident chooses their password and agrees to the account."""

    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_again = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    agree = forms.BooleanField(
        label=_("I agree: my account is linked to what the organisation records about me, and I can see it."),
        error_messages={"required": _("Tick the box to agree, or close this page.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords are not the same."))
        return data
