"""Job seekers' profiles: skills, work history, qualifications and consent.

Every model here holds personal data about one applicant.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applicants.storage import PrivateStorage
from matching.models import SkillLevel
from mex.validators import validate_single_line_text


class ApplicantProfile(models.Model):
    """A job seeker's profile. Holds personal data."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applicant"
    )
    headline = models.CharField(
        max_length=200, blank=True, validators=[validate_single_line_text]
    )
    summary = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    location = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=100, blank=True)
    country = models.CharField(max_length=2, blank=True)
    open_to_remote = models.BooleanField(default=False)
    open_to_work = models.BooleanField(default=True)
    # Employers see an applicant's name and contact details only once the
    # applicant has consented and a MEX administrator has approved a match.
    consent_to_share = models.BooleanField(default=False)
    consent_given_at = models.DateTimeField(null=True, blank=True)
    skills = models.ManyToManyField(
        "matching.Skill", through="ApplicantSkill", related_name="applicants"
    )
    credentials = models.ManyToManyField(
        "matching.Credential", through="ApplicantCredential", related_name="holders"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.user.display_name


class ApplicantSkill(models.Model):
    profile = models.ForeignKey(
        ApplicantProfile, on_delete=models.CASCADE, related_name="skill_levels"
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
                fields=["profile", "skill"], name="unique_applicant_skill"
            )
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_level_display()})"


class ApplicantCredential(models.Model):
    """A certificate, licence, check or language an applicant holds."""

    profile = models.ForeignKey(
        ApplicantProfile, on_delete=models.CASCADE, related_name="credential_records"
    )
    credential = models.ForeignKey(
        "matching.Credential", on_delete=models.PROTECT, related_name="+"
    )
    obtained_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "credential"], name="unique_applicant_credential"
            )
        ]

    def __str__(self) -> str:
        return str(self.credential)


class Experience(models.Model):
    """One entry of an applicant's work history."""

    profile = models.ForeignKey(
        ApplicantProfile, on_delete=models.CASCADE, related_name="experiences"
    )
    title = models.CharField(max_length=200)
    employer_name = models.CharField(max_length=200, blank=True)
    noc_code = models.CharField("NOC 2021 code", max_length=5, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="experience_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} at {self.employer_name}"


class Qualification(models.Model):
    """A degree, diploma or certificate an applicant earned outside MEX."""

    class Kind(models.TextChoices):
        DEGREE = "degree", _("Degree")
        DIPLOMA = "diploma", _("Diploma")
        CERTIFICATE = "certificate", _("Certificate")
        OTHER = "other", _("Other")

    profile = models.ForeignKey(
        ApplicantProfile, on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(
        max_length=16, choices=Kind.choices, default=Kind.CERTIFICATE
    )
    title = models.CharField(max_length=200)
    institution = models.CharField(max_length=200, blank=True)
    awarded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-awarded_on"]

    def __str__(self) -> str:
        return self.title


def _resume_path(resume: "Resume", filename: str) -> str:
    # A random name: the uploaded file name is kept in ``original_name`` only.
    return f"resumes/{resume.profile_id}/{uuid.uuid4().hex}.pdf"


class Resume(models.Model):
    """The PDF résumé an applicant uploaded. Holds personal data.

    The file is kept in private storage and served only through
    ``applicants.learning_views`` to its owner and to employers with an
    approved match the applicant consented to share with.
    """

    profile = models.OneToOneField(
        ApplicantProfile, on_delete=models.CASCADE, related_name="resume"
    )
    file = models.FileField(upload_to=_resume_path, storage=PrivateStorage())
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Résumé of {self.profile}"
