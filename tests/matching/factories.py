"""Factories for matching tests: taxonomy, vacancies and applicants."""

import factory
from django.utils import timezone

from accounts.models import Organization, User
from applicants.models import ApplicantCredential, ApplicantProfile, ApplicantSkill
from matching.models import Credential, Skill
from vacancies.models import Vacancy, VacancySkill


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Sequence(lambda n: f"Person{n}")
    password = factory.django.Password("test-password")


class AdministratorFactory(UserFactory):
    email = factory.Sequence(lambda n: f"admin{n}@example.test")
    is_staff = True
    is_superuser = True


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.EMPLOYER
    name = factory.Sequence(lambda n: f"Care Home {n}")
    slug = factory.Sequence(lambda n: f"care-home-{n}")
    approval_status = Organization.Approval.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class CollegeFactory(EmployerFactory):
    kind = Organization.Kind.COLLEGE
    name = factory.Sequence(lambda n: f"College {n}")
    slug = factory.Sequence(lambda n: f"college-{n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    code = factory.Sequence(lambda n: f"test:skill-{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")
    source = Skill.Source.MEX


class CredentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credential

    code = factory.Sequence(lambda n: f"test:credential-{n}")
    name = factory.Sequence(lambda n: f"Credential {n}")
    kind = Credential.Kind.CERTIFICATE


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"Support worker {n}")
    country = "CA"
    region = "ON"
    status = Vacancy.Status.OPEN
    published_at = factory.LazyFunction(timezone.now)


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicantProfile

    user = factory.SubFactory(UserFactory)
    country = "CA"
    region = "ON"
    open_to_work = True


def require(vacancy, skill, min_level=3, importance="required"):
    return VacancySkill.objects.create(
        vacancy=vacancy, skill=skill, min_level=min_level, importance=importance
    )


def hold(profile, skill, level=3):
    return ApplicantSkill.objects.update_or_create(
        profile=profile, skill=skill, defaults={"level": level}
    )[0]


def grant(profile, credential, **fields):
    return ApplicantCredential.objects.create(
        profile=profile, credential=credential, **fields
    )
