"""factory_boy factories shared by the test suite."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import Membership, Organization, User
from applicants.models import ApplicantProfile, ApplicantSkill
from matching.models import Match, Skill
from vacancies.models import Vacancy, VacancySkill

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Give the user a verified primary address, as after confirmation."""
        self.save()
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=True
            )


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.EMPLOYER
    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")
    approval_status = Organization.Approval.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class CollegeFactory(OrganizationFactory):
    kind = Organization.Kind.COLLEGE
    name = factory.Sequence(lambda n: f"College {n}")
    slug = factory.Sequence(lambda n: f"college-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.OWNER


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicantProfile

    user = factory.SubFactory(UserFactory)
    headline = "Personal support worker"
    location = "Hamilton, ON"


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"mex.skill.{n}")
    name = factory.Sequence(lambda n: f"Skill {n}")
    source = Skill.Source.MEX


class ApplicantSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicantSkill

    profile = factory.SubFactory(ApplicantFactory)
    skill = factory.SubFactory(SkillFactory)
    level = 3


class VacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    employer = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Personal support worker {n}")
    location = "Hamilton, ON"
    region = "Ontario"
    status = Vacancy.Status.OPEN
    published_at = factory.LazyFunction(timezone.now)


class VacancySkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VacancySkill

    vacancy = factory.SubFactory(VacancyFactory)
    skill = factory.SubFactory(SkillFactory)


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    vacancy = factory.SubFactory(VacancyFactory)
    applicant = factory.SubFactory(ApplicantFactory)
    score = 0.75
    stars = 4
    required_met = 1
    required_total = 2
    explanation = factory.LazyFunction(
        lambda: {
            "skills": [
                {
                    "skill_id": 1,
                    "name": "Personal care",
                    "importance": "required",
                    "min_level": 3,
                    "level": 3,
                    "status": "met",
                    "credit": 1.0,
                    "via": None,
                },
                {
                    "skill_id": 2,
                    "name": "Dementia care",
                    "importance": "required",
                    "min_level": 3,
                    "level": 2,
                    "status": "partial",
                    "credit": 0.5,
                    "via": None,
                },
            ],
            "credentials": [],
        }
    )
