"""Organisations (the tenants), their geography, teams, users, API tokens, the audit log and task runs."""

import uuid
from typing import Any, ClassVar, NoReturn

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from veerkracht.core.roles import JobTitle, Role
from veerkracht.core.usercache import forget_users


def default_public_languages() -> list[str]:
    return ["nl", "en", "tr", "ar"]


class Organisation(models.Model):
    """A welfare organisation: the tenant every domain record belongs to."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    city = models.CharField(_("municipality"), max_length=100)
    # On every letter: where residents without internet write to or call (``organisation contact``).
    postal_address = models.CharField(_("postal address"), max_length=200, blank=True)
    phone = models.CharField(_("phone number"), max_length=20, blank=True)
    # The CBS code of the municipality (GM0363 is Amsterdam): neighbourhood files are filtered on it.
    municipality_code = models.CharField(_("municipality code"), max_length=6, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    out_of_sight_days = models.PositiveSmallIntegerField(
        _("out of sight after (days)"),
        default=30,
        help_text=_("Residents with a vulnerability marker and no contact for this long appear on the worklist."),
    )
    # There is no single statutory term for welfare work; these defaults follow algemeen
    # maatschappelijk werk practice and each organisation may set its own.
    retention_contact_years = models.PositiveSmallIntegerField(
        _("keep residents and contacts (years after the last contact)"), default=2
    )
    retention_concern_years = models.PositiveSmallIntegerField(_("keep concerns (years after closing)"), default=15)
    # Blank: the platform's SMS_SENDER. The SMS provider shows it as the sender on the resident's phone.
    sms_sender = models.CharField(_("SMS sender name"), max_length=11, blank=True)
    privacy_officer_name = models.CharField(_("privacy officer (FG): name"), max_length=200, blank=True)
    privacy_officer_email = models.EmailField(_("privacy officer (FG): e-mail address"), blank=True)
    privacy_officer_phone = models.CharField(_("privacy officer (FG): telephone"), max_length=30, blank=True)
    # The languages of the public pages that name this organisation (Dutch is always offered).
    public_languages = models.JSONField(_("languages on public pages"), default=default_public_languages, blank=True)
    # The distancing rule of the day; without it places hold their normal capacity.
    distancing_rule = models.BooleanField(_("distancing rule in force"), default=False)
    indoor_m2_per_person = models.FloatField(_("indoors: m² per person"), default=5.0)
    outdoor_m2_per_person = models.FloatField(
        _("outdoors: m² per person (unless the place says otherwise)"), default=5.0
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ("name",)
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=Q(out_of_sight_days__gte=1) & Q(out_of_sight_days__lte=730),
                name="organisation_out_of_sight_days_range",
            ),
            models.CheckConstraint(
                condition=Q(retention_contact_years__gte=1), name="organisation_contact_retention_positive"
            ),
            models.CheckConstraint(
                condition=Q(retention_concern_years__gte=1), name="organisation_concern_retention_positive"
            ),
            models.CheckConstraint(
                condition=Q(indoor_m2_per_person__gt=0) & Q(outdoor_m2_per_person__gt=0),
                name="organisation_m2_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Affluence(models.TextChoices):
    LOW = "low", _("Low income")
    MIDDLE = "middle", _("Middle income")
    HIGH = "high", _("High income")


class District(models.Model):
    """A wijk (CBS code WK…): a group of neighbourhoods."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="districts")
    code = models.CharField(_("CBS code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ("code",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "code"], name="district_code_unique_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name


class Neighbourhood(models.Model):
    """A buurt (CBS code BU…), the unit teams are scoped by."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="neighbourhoods")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="neighbourhoods")
    code = models.CharField(_("CBS code"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    affluence = models.CharField(_("affluence"), max_length=10, choices=Affluence.choices)
    # Outline as a GeoJSON polygon in local metres, for maps drawn without a tile server.
    boundary = models.JSONField(_("boundary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ("code",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "code"], name="neighbourhood_code_unique_per_organisation"),
            models.CheckConstraint(condition=Q(affluence__in=Affluence.values), name="neighbourhood_affluence_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class UserQuerySet(models.QuerySet["User"]):
    def update(self, **kwargs: Any) -> int:
        """An update bypasses ``post_save``: the cached copies of the users it changes are forgotten here
        (disabling an account, ending its sessions; core/usercache.py)."""
        changed = list(self.values_list("pk", flat=True))
        count = super().update(**kwargs)
        forget_users(changed)
        return count


class VeerkrachtUserManager(UserManager["User"]):
    """Django's user manager (creating users, natural keys) over ``UserQuerySet``."""

    def get_queryset(self) -> UserQuerySet:
        return UserQuerySet(self.model, using=self._db)


class User(AbstractUser):
    """Anyone who signs in: workers, volunteers, residents, the privacy officer, the funder."""

    objects: ClassVar[VeerkrachtUserManager] = VeerkrachtUserManager()

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    job_title = models.CharField(_("job title"), max_length=20, choices=JobTitle.choices, blank=True)
    # Raised to end every session at once ("sign out everywhere", disabling): it is part of the
    # hash each session stores, so older sessions stop matching (see _get_session_auth_hash).
    session_epoch = models.PositiveIntegerField(default=0, editable=False)
    # The language of a resident's own pages, set when they accept their invitation: their pages use
    # it on every device until they pick another with the language switch (core/middleware.py).
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints: ClassVar = [
            # A platform administrator made with createsuperuser may have no role.
            models.CheckConstraint(
                condition=Q(role__in=Role.values) | Q(role="", is_superuser=True), name="user_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(job_title="") | Q(role=Role.PROFESSIONAL, job_title__in=JobTitle.values),
                name="user_job_title_only_for_professionals",
            ),
            # Only a platform administrator may stand outside every organisation.
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(is_superuser=True),
                name="user_belongs_to_an_organisation",
            ),
        ]

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    def resolved(self) -> "User":
        """This user itself, called through the lazy proxies round ``request.user`` to leave them behind."""
        return self

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django's session hash, over the password and the session epoch (Django checks it on every request)."""
        key_salt = "veerkracht.core.models.User.get_session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()


class Team(models.Model):
    """A wijkteam: covers neighbourhoods; its professionals see those neighbourhoods' residents."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    neighbourhoods = models.ManyToManyField(Neighbourhood, related_name="teams", blank=True)
    members = models.ManyToManyField(User, related_name="teams", blank=True)
    # The team's shared mailbox: the Reply-To of e-mail a member sends on the team's behalf.
    email = models.EmailField(_("team e-mail address"), blank=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ("name",)
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Issued after a code from the app or a recovery code: a role that must use a second factor
    # is refused with a token that was not (core.account_policy.second_factor_required).
    after_second_factor = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"API token {self.pk} of user {self.user_id}"


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    LIST = "list", _("Listed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased")
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOGOUT = "logout", _("Signed out")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    ACCESS_DENIED = "access_denied", _("Access refused")


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("Success")
    DENIED = "denied", _("Refused")
    FAILED = "failed", _("Failed")


class AuditAddress(models.Model):
    """The IP address behind audit events, kept apart so it can expire or be erased (ADR 18).

    An event holds only ``ip_digest``: SHA-256 over this row's random salt and the address. The
    hash chain seals the digest, so deleting this row (after its term, or when the person is
    erased) leaves the chain intact, and with the salt gone the digest no longer reveals the
    address, not even by trying all four billion IPv4 addresses. While the row exists,
    ``audit_verify`` checks that its address still matches the sealed digest.
    """

    digest = models.CharField(max_length=64, primary_key=True)
    ip = models.GenericIPAddressField(_("IP address"))
    salt = models.CharField(max_length=32)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("IP address in the audit log")

    def __str__(self) -> str:
        return self.digest


class AppendOnlyQuerySet(models.QuerySet["AuditEvent"]):
    """Refuses bulk changes: audit events are written once and never altered."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit events are append-only")

    def delete(self) -> NoReturn:
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    """One audited action. Ids and field names only, never values, so erasure leaves nothing here."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    on_behalf_of = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=40, blank=True)
    fields = models.JSONField(_("fields"), default=list, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices)
    # Written before ADR 18 only; since then the address lives in AuditAddress and the event holds its digest.
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    ip_digest = models.CharField(max_length=64, blank=True, default="")
    # The id of the request the event happened in (as in the log lines and the X-Request-ID
    # header), so an event can be traced to its log line; empty for background runs and the CLI.
    request_id = models.CharField(max_length=64, blank=True, default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ("-at", "-id")
        indexes: ClassVar = [
            models.Index(fields=["organisation", "-at"], name="audit_org_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type} {self.object_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("audit events are append-only")

    def address(self) -> str | None:
        """The IP address, while it is kept (one query; lists annotate it, see audit_events_visible_to)."""
        if not self.ip_digest:
            return self.ip
        return AuditAddress.objects.filter(digest=self.ip_digest).values_list("ip", flat=True).first()


class IdempotencyRecord(models.Model):
    """The first answer to a write sent with an idempotency key, replayed when it is sent again."""

    scope = models.CharField(max_length=80)  # the user, or for anonymous callers a digest of what they sent
    key = models.CharField(max_length=100)  # a digest of the key: the key itself opens the sealed answer
    request_digest = models.CharField(max_length=64, blank=True)  # replayed only for the same request
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, null=True, related_name="+")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField(null=True)  # None while the first request runs
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=500, blank=True)
    body = models.BinaryField(default=bytes)  # sealed (Fernet) with a secret derived from the key
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_once_per_scope")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.status})"


class Notification(models.Model):
    """A message for one user, shown on their start page until read (e.g. an activity over its limit)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes: ClassVar = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


def new_outbound_reference() -> str:
    return uuid.uuid4().hex


class OutboundMessage(models.Model):
    """One SMS or e-mail to one address: the outbox every sender writes to and ``messaging`` delivers.

    ``reference`` is sent to the gateway with every attempt, so a retry after a timeout is
    recognised by the gateway and the message is never delivered twice. Each attempt is counted.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # "app" is WhatsApp, through the SMS provider's own API (messaging/backends/providers.py).
    channel = models.CharField(max_length=10, choices=[("sms", "SMS"), ("email", "E-mail"), ("app", "WhatsApp")])
    to = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=5000)
    # The language the text is written in (core/text_language.py; blank: the organisation's, Dutch). A WhatsApp
    # message outside the 24-hour window goes in the approved template of that language where there is one.
    language = models.CharField(max_length=10, blank=True)
    reference = models.CharField(max_length=32, unique=True, default=new_outbound_reference)
    status = models.CharField(max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=100, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # E-mail only: where answers go (the sending worker), the one-click unsubscribe link of a bulk
    # message (RFC 8058), and when a mail server reported the address undeliverable (a bounce).
    reply_to = models.EmailField(blank=True)
    unsubscribe_url = models.URLField(max_length=500, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["sent_at", "created_at"], name="outbox_queue"),
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(status__in=OutboundStatus.values), name="outbox_status_valid"),
            models.CheckConstraint(condition=Q(channel__in=["sms", "email", "app"]), name="outbox_channel_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} {self.created_at:%Y-%m-%d %H:%M}"


class TaskStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


WORKER_LOST = "WorkerLost"  # TaskRun.error of a run given up after its worker died TASK_MAX_ATTEMPTS times


class TaskRun(models.Model):
    """One run of long work for a user, with the progress they see (the queue itself is django-tasks').

    ``kind`` names the work (``core.tasks.register``); ``params`` and ``result`` are plain JSON
    without personal data, since the queue table copies the run's id only.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)
        indexes: ClassVar = [models.Index(fields=["status", "heartbeat_at"], name="taskrun_status")]
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="taskrun_progress_percent"),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="taskrun_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.status} {self.progress}%"

    @property
    def worker_lost(self) -> bool:
        """Given up after its worker died too often (the person is told so), not failed by an error of its own."""
        return self.error == WORKER_LOST

    @property
    def failure_message(self) -> str:
        """What the person who asked for a failed run is told, in their language."""
        if self.worker_lost:
            return str(
                _(
                    "The work was interrupted %(attempts)s times because the background worker stopped, and has "
                    "been given up. Please try again; if it stops again, contact the administrator."
                )
                % {"attempts": self.attempts}
            )
        return str(_("The work failed. Please try again; if it fails again, contact the administrator."))


class AuditSeal(models.Model):
    """One link of an organisation's audit hash chain: the digest of a batch of events and of the link before.

    Events are sealed in batches by ``veerkracht audit_seal`` (core/auditchain.py), not one by one,
    so audited reads never wait for each other; ``veerkracht audit_verify`` recomputes the chain.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, related_name="+")
    sequence = models.PositiveIntegerField()
    first_event_id = models.BigIntegerField()
    last_event_id = models.BigIntegerField()
    events = models.PositiveIntegerField()
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    # HMAC-SHA256 of the link with AUDIT_SEAL_KEY, which the database does not hold: the table's
    # owner cannot rewrite the chain and seal it again unnoticed (core/auditchain.py).
    signature = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["organisation", "sequence"], name="auditseal_one_link_per_place"),
            models.UniqueConstraint(
                fields=["sequence"], condition=Q(organisation__isnull=True), name="auditseal_one_link_without_org"
            ),
        ]

    def __str__(self) -> str:
        return f"seal {self.organisation_id}#{self.sequence}"


class RegisteredAddress(models.Model):
    """One address of the national address register (BAG) as the organisation loaded it from a file.

    Positions are RD New (EPSG:28992) metres, the coordinate system of every position in Veerkracht:
    distances are plain Pythagoras in metres. ``suffix`` is the house letter and addition run
    together in lower case without separators ("a2"), the key households are looked up by.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    postcode = models.CharField(_("postcode"), max_length=7)
    house_number = models.PositiveIntegerField(_("house number"))
    house_letter = models.CharField(_("house letter"), max_length=1, blank=True)
    addition = models.CharField(_("addition"), max_length=4, blank=True)
    suffix = models.CharField(max_length=5, blank=True)
    street = models.CharField(_("street"), max_length=100)
    city = models.CharField(_("place"), max_length=100)
    x = models.FloatField(_("x (RD, m)"))
    y = models.FloatField(_("y (RD, m)"))

    class Meta:
        verbose_name = _("registered address")
        verbose_name_plural = _("registered addresses")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["organisation", "postcode", "house_number", "suffix"], name="registered_address_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.postcode} {self.house_number}{self.suffix}"


class MaintenanceKind(models.TextChoices):
    BACKUP = "backup", _("backup")
    RETENTION = "retention", _("retention run")


class MaintenanceRun(models.Model):
    """A finished maintenance job (a backup, a retention run), for the metrics and the administrator.

    Only completed runs are recorded: "the last successful backup" is the newest row of its kind.
    ``detail`` is a figure or a file name, never personal data.
    """

    kind = models.CharField(max_length=20, choices=MaintenanceKind.choices)
    finished_at = models.DateTimeField(default=timezone.now)
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["kind", "-finished_at"], name="maintenance_latest")]

    def __str__(self) -> str:
        return f"{self.kind} {self.finished_at:%Y-%m-%d %H:%M}"
