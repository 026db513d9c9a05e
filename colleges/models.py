"""Micro-credential courses that colleges publish, and enrolments in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.models import SkillLevel
from mex.validators import validate_multiline_text, validate_single_line_text


class Course(models.Model):
    """A short micro-credential course offered by a college organization."""

    class Delivery(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        ON_THE_JOB = "on_the_job", _("On the job")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    college = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="courses"
    )
    title = models.CharField(max_length=200, validators=[validate_single_line_text])
    description = models.TextField(blank=True, validators=[validate_multiline_text])
    hours = models.PositiveIntegerField()
    delivery = models.CharField(
        max_length=16, choices=Delivery.choices, default=Delivery.ONLINE
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    url = models.URLField(blank=True)
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    skills = models.ManyToManyField(
        "matching.Skill", through="CourseSkill", related_name="courses"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="course_hours_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CourseSkill(models.Model):
    """A skill a course teaches, and the level a graduate reaches."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="skills_taught"
    )
    skill = models.ForeignKey(
        "matching.Skill", on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        choices=SkillLevel.choices, default=SkillLevel.INTERMEDIATE
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["course", "skill"], name="unique_course_skill"
            )
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_level_display()})"


class Enrolment(models.Model):
    """An applicant's place in a course. Holds personal data."""

    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    applicant = models.ForeignKey(
        "applicants.ApplicantProfile",
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.ENROLLED
    )
    enrolled_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant", "course"], name="unique_enrolment_per_course"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="completed")
                | models.Q(completed_at__isnull=False),
                name="completed_enrolment_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} in {self.course}"


class EnrolmentInvitation(models.Model):
    """A college's invitation for a student who is not on MEX yet.

    Accepting it makes the student a MEX applicant enrolled in ``course``.
    The emailed link carries a random token and only its SHA-256 digest is
    stored. An invitation works once and expires after ``expires_at``. Holds
    personal data: the student's email address.
    """

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrolment_invitations"
    )
    email = models.EmailField()
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    enrolment = models.OneToOneField(
        Enrolment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["course", "email"])]

    def __str__(self) -> str:
        return f"{self.email} to {self.course}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
