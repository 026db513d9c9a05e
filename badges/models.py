"""Open Badges issued when an applicant completes a course."""

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mex.validators import validate_multiline_text, validate_single_line_text


def _design_image_path(badge_class: "BadgeClass", filename: str) -> str:
    return f"badge-designs/{badge_class.public_id}.png"


class BadgeClass(models.Model):
    """The achievement a course awards: one badge class per course.

    The design (colour, icon, tagline or an uploaded emblem) applies to
    badges issued after it changes; issued badges keep the image they were
    baked with.
    """

    class Icon(models.TextChoices):
        NONE = "", _("No icon")
        STAR = "star", _("Star")
        HEART = "heart", _("Heart")
        CROSS = "cross", _("Health cross")
        CHECK = "check", _("Check mark")

    # The issuer. A course's badge class has the course; a pathway's has none
    # and is reached through Pathway.badge_class.
    college = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="badge_classes"
    )
    course = models.OneToOneField(
        "colleges.Course",
        on_delete=models.PROTECT,
        related_name="badge_class",
        null=True,
        blank=True,
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200, validators=[validate_single_line_text])
    description = models.TextField(validators=[validate_multiline_text])
    criteria = models.TextField(blank=True, validators=[validate_multiline_text])
    primary_colour = models.CharField(
        max_length=7,
        default="#1d4ed8",
        validators=[
            RegexValidator(
                r"^#[0-9a-fA-F]{6}$",
                _(
                    'Colour "%(value)s" is invalid: enter # and six hex digits, '
                    "such as #1d4ed8."
                ),
            )
        ],
    )
    icon = models.CharField(max_length=16, choices=Icon.choices, blank=True)
    tagline = models.CharField(
        max_length=60, blank=True, validators=[validate_single_line_text]
    )
    # A college's own emblem, stored re-encoded as PNG after its content,
    # size and pixel count were checked.
    design_image = models.ImageField(upload_to=_design_image_path, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "badge classes"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _baked_image_path(assertion: "Assertion", filename: str) -> str:
    return f"badges/{assertion.public_id}.png"


class Assertion(models.Model):
    """One badge awarded to one applicant for one completed enrolment.

    Holds personal data: the recipient and a salted hash of their email.
    """

    badge_class = models.ForeignKey(
        BadgeClass, on_delete=models.PROTECT, related_name="assertions"
    )
    recipient = models.ForeignKey(
        "applicants.ApplicantProfile", on_delete=models.PROTECT, related_name="badges"
    )
    # At most one assertion per enrolment: the unique constraint decides when
    # two completions race. Pathway badges have no enrolment.
    enrolment = models.OneToOneField(
        "colleges.Enrolment",
        on_delete=models.PROTECT,
        related_name="assertion",
        null=True,
        blank=True,
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient_salt = models.CharField(max_length=64)
    recipient_hash = models.CharField(max_length=80)
    issued_on = models.DateTimeField()
    expires_on = models.DateTimeField(null=True, blank=True)
    evidence_url = models.URLField(blank=True)
    narrative = models.TextField(blank=True)
    image = models.ImageField(upload_to=_baked_image_path, blank=True)
    revoked = models.BooleanField(default=False)
    revocation_reason = models.CharField(
        max_length=500, blank=True, validators=[validate_multiline_text]
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The Open Badges 3.0 credential as a VC-JWT, signed once at issue time so
    # that a later key rotation leaves it as it was.
    credential_jwt = models.TextField(blank=True)

    class Meta:
        ordering = ["-issued_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["badge_class", "recipient"],
                condition=models.Q(enrolment__isnull=True),
                name="one_pathway_badge_per_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.badge_class} → {self.recipient}"

    @property
    def status_label(self) -> str:
        return _("Revoked") if self.revoked else _("Valid")


class Pathway(models.Model):
    """A set of course badges that together earn a pathway badge.

    When an applicant has a valid badge of every component, the worker
    issues the pathway's own badge class to them.
    """

    college = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="pathways"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    components = models.ManyToManyField(BadgeClass, related_name="in_pathways")
    badge_class = models.OneToOneField(
        BadgeClass, on_delete=models.PROTECT, related_name="pathway"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Portfolio(models.Model):
    """An applicant's public page of badges, off until they switch it on.

    Holds personal data: showing it publishes the applicant's name and
    badges at an unguessable URL.
    """

    applicant = models.OneToOneField(
        "applicants.ApplicantProfile",
        on_delete=models.CASCADE,
        related_name="badge_portfolio",
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_public = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"portfolio of {self.applicant}"


class LogEntry(models.Model):
    """One leaf of the append-only transparency log of badge events.

    ``payload`` is the canonical JSON that the leaf hash covers. It names the
    recipient only by the salted hash the badge itself publishes.
    """

    class Kind(models.TextChoices):
        ISSUE = "issue", _("Issued")
        REVOKE = "revoke", _("Revoked")

    index = models.PositiveBigIntegerField(unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    assertion = models.ForeignKey(
        Assertion, on_delete=models.PROTECT, related_name="log_entries"
    )
    payload = models.TextField()
    leaf_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["index"]
        verbose_name_plural = "log entries"
        constraints = [
            models.UniqueConstraint(
                fields=["assertion", "kind"], name="one_log_entry_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.index} {self.kind} {self.assertion_id}"


class TreeHead(models.Model):
    """A signed head of the badge log, written after every append.

    ``frontier`` contains the hex roots of the perfect subtrees of the tree, so
    the next append needs no other row.
    """

    tree_size = models.PositiveBigIntegerField(unique=True)
    root_hash = models.CharField(max_length=64)
    timestamp = models.DateTimeField()
    frontier = models.JSONField(default=list)
    signature = models.TextField()

    class Meta:
        ordering = ["tree_size"]

    def __str__(self) -> str:
        return f"tree head {self.tree_size}"
