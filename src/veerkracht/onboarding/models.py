"""Invitations to an account: the first coordinator of a new organisation, and staff invited by a coordinator."""

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from veerkracht.core.models import Organisation, Team, User
from veerkracht.core.roles import JobTitle, Role


class Invitation(models.Model):
    """A one-time link to create an account with a role, in an organisation (and a team).

    Only the SHA-256 digest of the link's secret is stored: a copy of the database does not hold
    working links. The account is made when the link is used, so nobody who never came appears in
    pickers or lists of accounts.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail"), blank=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("surname"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    job_title = models.CharField(_("job title"), max_length=20, choices=JobTitle.choices, blank=True)
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="invitation_role_valid"),
            models.CheckConstraint(
                condition=Q(job_title="") | Q(role=Role.PROFESSIONAL, job_title__in=JobTitle.values),
                name="invitation_job_title_only_for_professionals",
            ),
        ]

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.role})"

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.email

    def usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ImportKind(models.TextChoices):
    ADDRESSES = "addresses", _("Addresses")
    RESIDENTS = "residents", _("Residents")
    VOLUNTEERS = "volunteers", _("Volunteers")
    PLACES = "places", _("Places")
    GEOGRAPHY = "geography", _("Neighbourhoods")


class ImportRun(models.Model):
    """One import of a file: who, when, which file (its name only) and how many rows went where.

    The audit log points here; neither holds the file's contents.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("time"), default=timezone.now)
    dry_run = models.BooleanField(_("dry run"), default=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    refused = models.PositiveIntegerField(_("refused"), default=0)
    duplicates = models.PositiveIntegerField(_("likely duplicates"), default=0)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ("-at",)
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="importrun_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_name} {self.at:%Y-%m-%d %H:%M}"


class UploadStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")


class ImportUpload(models.Model):
    """A file a coordinator uploaded to import in the browser, kept only while the import needs it.

    The file holds personal data, so it lives in this table under row-level security (only its
    organisation's connections see it), never on disk: ``content`` is emptied the moment the import
    has run, and ``veerkracht retention`` removes the whole row (with the dry run's and the
    import's row problems, which quote cell values) after ``RETENTION_IMPORT_UPLOAD_HOURS``.
    The lasting record is the ``ImportRun`` and the audit log: file name and counts, no contents.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    file_name = models.CharField(_("file name"), max_length=200)
    content = models.BinaryField(default=bytes)
    size = models.PositiveIntegerField(default=0)
    # File header → default column ("" leaves the file's column unused).
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=UploadStatus.choices, default=UploadStatus.UPLOADED)
    check_task = models.ForeignKey("core.TaskRun", on_delete=models.SET_NULL, null=True, related_name="+")
    import_task = models.ForeignKey("core.TaskRun", on_delete=models.SET_NULL, null=True, related_name="+")
    # The dry run's and the import's report: counts, and every refused row (row, column, reason).
    checked = models.JSONField(null=True, blank=True)
    imported = models.JSONField(null=True, blank=True)
    run = models.ForeignKey(ImportRun, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(kind__in=ImportKind.values), name="importupload_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=UploadStatus.values), name="importupload_status_valid"),
        ]

    def __str__(self) -> str:
        return f"upload {self.pk} ({self.kind}, {self.status})"


class ResidentChannel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class ResidentInvitation(models.Model):
    """A one-time link for a resident to make an account of their own, sent by SMS or e-mail.

    As with staff invitations only the SHA-256 digest of the link's secret is stored. The row holds
    no name or address (those are on the resident, and the message in the outbox), only which
    resident, by which channel and in which language; the account is made when the link is used.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=5, choices=ResidentChannel.choices)
    language = models.CharField(_("language"), max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    outbound = models.ForeignKey("core.OutboundMessage", on_delete=models.SET_NULL, null=True, related_name="+")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("invitation of a resident")
        verbose_name_plural = _("invitations of residents")
        ordering = ("-created_at",)
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(channel__in=ResidentChannel.values), name="residentinvitation_channel_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"resident invitation {self.pk} ({self.channel})"

    def usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()
