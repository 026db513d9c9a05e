"""Users, organizations and memberships.

A user signs in with an email address. Employers and colleges are
organizations; a user acts for an organization through a membership.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mex.validators import validate_multiline_text, validate_single_line_text


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required to create a user.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if not extra["is_staff"] or not extra["is_superuser"]:
            raise ValueError("A superuser needs is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who signs in with an email address. Holds personal data."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    # AbstractUser's name fields plus the plain-text check, since others see names.
    first_name = models.CharField(
        _("first name"),
        max_length=150,
        blank=True,
        validators=[validate_single_line_text],
    )
    last_name = models.CharField(
        _("last name"),
        max_length=150,
        blank=True,
        validators=[validate_single_line_text],
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        full_name = self.get_full_name()
        return full_name or self.email.split("@", 1)[0]


class Organization(models.Model):
    """An employer or a college that uses MEX."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        COLLEGE = "college", _("College")

    class Approval(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        # A match has the same statuses, so these labels carry a context:
        # French agrees them with "organisation", which is feminine.
        APPROVED = "approved", pgettext_lazy("organization approval", "Approved")
        REJECTED = "rejected", pgettext_lazy("organization approval", "Rejected")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200, validators=[validate_single_line_text])
    slug = models.SlugField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True, validators=[validate_multiline_text])
    # Colleges start pending and cannot publish courses or issue badges until a
    # MEX administrator approves them; employers are approved on creation.
    approval_status = models.CharField(
        max_length=16, choices=Approval.choices, default=Approval.PENDING
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "approval_status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.approval_status == self.Approval.APPROVED


class Membership(models.Model):
    """A user's role in one organization."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        STAFF = "staff", _("Staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


class Invitation(models.Model):
    """An owner's invitation for someone to join an organization with a role.

    The link sent by email carries a random token, and only its SHA-256 digest
    is stored, so a leaked database row cannot be turned back into a working link.
    An invitation works once and expires after ``expires_at``. Holds personal
    data: the invitee's email address.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=16, choices=Membership.Role.choices, default=Membership.Role.STAFF
    )
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization} ({self.role})"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class AuditEvent(models.Model):
    """One administrative decision: who did what to which object, and when.

    Rows are written through ``accounts.audit.record`` and never changed: the
    model refuses updates and deletes, and the admin shows them read-only.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The actor's email at the time, kept when the user is later deleted.
    actor_email = models.EmailField(blank=True)
    action = models.CharField(max_length=100)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["action", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} on {self.object_repr} by {self.actor_email or '-'}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Audit events are append-only and cannot be deleted.")


class Notification(models.Model):
    """One message to one user about an event, shown in the app and emailed.

    ``event_key`` names the event (for example ``match_approved:42``). With
    the recipient it is unique, so announcing the same event twice creates
    one notification and one email. Holds personal data: the recipient and
    text about their matches, badges or organization.
    """

    class Kind(models.TextChoices):
        MATCH_APPROVED = "match_approved", _("Match approved")
        CANDIDATE_APPROVED = "candidate_approved", _("Candidate approved")
        BADGE_ISSUED = "badge_issued", _("Badge issued")
        ORGANIZATION_APPROVED = "organization_approved", _("Organization approved")
        ORGANIZATION_REJECTED = "organization_rejected", _("Organization declined")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    event_key = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    # A path on this site, never an absolute URL, so that following a
    # notification cannot lead off the site.
    url = models.CharField(max_length=500, blank=True)
    # Plain values the email templates render: names and titles at the time
    # of the event, never secrets.
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="unique_notification_event"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
