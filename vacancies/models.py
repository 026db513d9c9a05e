"""Vacancies that employers post and the skills they require."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matching.models import SkillLevel
from mex.validators import validate_multiline_text, validate_single_line_text


class Vacancy(models.Model):
    """A job that an employer organization wants to fill."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", _("Full time")
        PART_TIME = "part_time", _("Part time")
        CASUAL = "casual", _("Casual")
        CONTRACT = "contract", _("Term or contract")
        TEMPORARY = "temporary", _("Temporary")

    class WorkMode(models.TextChoices):
        ON_SITE = "on_site", _("On site")
        HYBRID = "hybrid", _("Hybrid")
        REMOTE = "remote", _("Remote")

    class WagePeriod(models.TextChoices):
        HOUR = "hour", _("per hour")
        YEAR = "year", _("per year")

    employer = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="vacancies"
    )
    title = models.CharField(max_length=200, validators=[validate_single_line_text])
    description = models.TextField(blank=True, validators=[validate_multiline_text])
    location = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True)
    work_mode = models.CharField(
        max_length=16, choices=WorkMode.choices, default=WorkMode.ON_SITE
    )
    employment_type = models.CharField(
        max_length=16, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    hours_per_week = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    wage_min = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    wage_max = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True
    )
    wage_currency = models.CharField(max_length=3, default="CAD")
    wage_period = models.CharField(
        max_length=8, choices=WagePeriod.choices, default=WagePeriod.HOUR
    )
    noc_code = models.CharField("NOC 2021 code", max_length=5, blank=True)
    experience = models.CharField(max_length=200, blank=True)
    # The last day applications are accepted, shown to job seekers and
    # published as the JobPosting's validThrough.
    closes_on = models.DateField(_("applications close on"), null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    required_credentials = models.ManyToManyField(
        "matching.Credential", blank=True, related_name="vacancies"
    )
    skills = models.ManyToManyField(
        "matching.Skill", through="VacancySkill", related_name="vacancies"
    )
    # Where an imported posting came from, so that importing the same file
    # again updates rows instead of duplicating them.
    source = models.CharField(max_length=200, blank=True)
    source_id = models.CharField(max_length=100, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    filled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "vacancies"
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=~models.Q(source_id=""),
                name="unique_vacancy_source_id",
            ),
            models.CheckConstraint(
                condition=models.Q(wage_min__isnull=True)
                | models.Q(wage_max__isnull=True)
                | models.Q(wage_min__lte=models.F("wage_max")),
                name="vacancy_wage_min_not_above_max",
            ),
        ]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title


class VacancySkill(models.Model):
    """A skill a vacancy asks for, at a minimum level, required or preferred."""

    class Importance(models.TextChoices):
        REQUIRED = "required", _("Required")
        PREFERRED = "preferred", _("Preferred")

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="skill_requirements"
    )
    skill = models.ForeignKey(
        "matching.Skill", on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.PositiveSmallIntegerField(
        choices=SkillLevel.choices, default=SkillLevel.INTERMEDIATE
    )
    importance = models.CharField(
        max_length=16, choices=Importance.choices, default=Importance.REQUIRED
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "skill"], name="unique_vacancy_skill"
            )
        ]

    def __str__(self) -> str:
        return f"{self.skill} ≥ {self.min_level} ({self.importance})"


class CandidateStage(models.Model):
    """The step an approved candidate reached in an employer's hiring pipeline.

    One row per match, created when the employer first moves the candidate
    past "approved". ``stage`` is the latest step and ``at`` its time.
    """

    class Stage(models.TextChoices):
        INTERVIEWED = "interviewed", _("Interviewed")
        HIRED = "hired", _("Hired")

    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="candidate_stages"
    )
    match = models.OneToOneField(
        "matching.Match", on_delete=models.CASCADE, related_name="candidate_stage"
    )
    stage = models.CharField(max_length=16, choices=Stage.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["stage", "at"])]

    def __str__(self) -> str:
        return f"{self.match_id} {self.stage} for {self.vacancy_id}"
