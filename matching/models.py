"""Skill taxonomy, credentials, proposed matches and matching runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SkillLevel(models.IntegerChoices):
    """Proficiency on a five-point scale shared by vacancies, people and courses."""

    AWARENESS = 1, _("Awareness")
    BASIC = 2, _("Basic")
    INTERMEDIATE = 3, _("Intermediate")
    ADVANCED = 4, _("Advanced")
    EXPERT = 5, _("Expert")


class Skill(models.Model):
    """A skill or knowledge area from a taxonomy such as O*NET or ESCO."""

    class Source(models.TextChoices):
        ONET = "onet", "O*NET"
        ESCO = "esco", "ESCO"
        MEX = "mex", "MEX"

    code = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=16, choices=Source.choices)
    category = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    # Other names for the same skill, matched case-insensitively when posting
    # text is mapped to the taxonomy.
    aliases = models.JSONField(default=list, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    related = models.ManyToManyField("self", blank=True, symmetrical=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class Credential(models.Model):
    """A certificate, licence, security check or language that can be required.

    Vacancies require credentials as hard filters: an applicant who lacks one
    is not matched, however well the skills fit.
    """

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate")
        LICENCE = "licence", _("Licence or registration")
        SECURITY_CHECK = "security_check", _("Security check")
        LANGUAGE = "language", _("Language")

    code = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Match(models.Model):
    """A proposed pairing of an applicant with a vacancy, with its explanation."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    vacancy = models.ForeignKey(
        "vacancies.Vacancy", on_delete=models.CASCADE, related_name="matches"
    )
    applicant = models.ForeignKey(
        "applicants.ApplicantProfile", on_delete=models.CASCADE, related_name="matches"
    )
    # Weighted share of the vacancy's requirements that the applicant meets,
    # from 0 to 1.
    score = models.FloatField()
    stars = models.PositiveSmallIntegerField(default=1)
    required_met = models.PositiveSmallIntegerField(default=0)
    required_total = models.PositiveSmallIntegerField(default=0)
    # One entry per requirement: skill id, name, importance, level asked, level
    # held, and "met", "partial" or "missing".
    explanation = models.JSONField(default=list)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "matches"
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["vacancy", "applicant"], name="unique_match_per_pair"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=1),
                name="match_score_between_0_and_1",
            ),
        ]
        indexes = [models.Index(fields=["status", "-score"])]

    def __str__(self) -> str:
        return f"{self.applicant} → {self.vacancy} ({self.score:.2f})"


class MatchingRun(models.Model):
    """One execution of the matching job and what it changed."""

    class Scope(models.TextChoices):
        FULL = "full", _("Every open vacancy")
        VACANCY = "vacancy", _("One vacancy")
        APPLICANT = "applicant", _("One applicant")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.FULL)
    # The vacancy or applicant profile id of a VACANCY or APPLICANT run.
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    vacancies_scored = models.PositiveIntegerField(default=0)
    applicants_scored = models.PositiveIntegerField(default=0)
    matches_created = models.PositiveIntegerField(default=0)
    matches_updated = models.PositiveIntegerField(default=0)
    matches_unchanged = models.PositiveIntegerField(default=0)
    matches_withdrawn = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Matching run {self.pk} ({self.status})"


class Occupation(models.Model):
    """An occupation from O*NET, ESCO or MEX, with the skills it typically needs.

    A vacancy or a profile can start from an occupation's typical skills.
    """

    class Source(models.TextChoices):
        ONET = "onet", "O*NET"
        ESCO = "esco", "ESCO"
        MEX = "mex", "MEX"

    code = models.CharField(max_length=200, unique=True)
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=16, choices=Source.choices)
    # NOC 2021 unit groups (five digits) the occupation maps to.
    noc_codes = models.JSONField(default=list, blank=True)
    aliases = models.JSONField(default=list, blank=True)
    description = models.TextField(blank=True)
    skills = models.ManyToManyField(
        Skill, through="OccupationSkill", related_name="occupations"
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class OccupationSkill(models.Model):
    """How important a skill is to an occupation, and at what level."""

    occupation = models.ForeignKey(
        Occupation, on_delete=models.CASCADE, related_name="skill_profile"
    )
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="+")
    # O*NET importance on its 1 to 5 scale; MEX occupations use the same scale.
    importance = models.FloatField()
    level = models.PositiveSmallIntegerField(
        choices=SkillLevel.choices, default=SkillLevel.INTERMEDIATE
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occupation", "skill"], name="unique_occupation_skill"
            )
        ]

    def __str__(self) -> str:
        return f"{self.occupation}: {self.skill} ({self.importance})"


class ScoringInputChange(models.Model):
    """A change to applicants' skills, a vacancy or a skill, logged by a trigger.

    On PostgreSQL, triggers on the applicant skill, vacancy, vacancy skill,
    skill and related-skill tables insert one row per changed row, with the
    writing transaction's id, and a row without an object id after a
    TRUNCATE.
    Workers read the rows to bring their in-memory copies of the scoring
    inputs up to date (``matching.snapshot``). Nothing writes here on other
    databases.
    """

    class Kind(models.TextChoices):
        APPLICANT = "applicant", _("Applicant skills")
        VACANCY = "vacancy", _("Vacancy")
        SKILL = "skill", _("Skill taxonomy")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Profile, vacancy or skill id; None after a TRUNCATE, meaning all of them.
    object_id = models.BigIntegerField(null=True)
    # pg_current_xact_id() of the transaction that changed the row.
    transaction_id = models.BigIntegerField()
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "transaction_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} in transaction {self.transaction_id}"
