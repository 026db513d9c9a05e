"""Factories for colleges, courses, applicants and enrolments."""

import factory
from django.utils import timezone

from accounts.models import Membership, Organization, User
from applicants.models import ApplicantProfile
from colleges.models import Course, Enrolment


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = "Amina"
    last_name = "Okafor"
    password = factory.django.Password("correct horse battery staple")


class CollegeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = Organization.Kind.COLLEGE
    name = factory.Sequence(lambda n: f"Lakeshore College {n}")
    slug = factory.Sequence(lambda n: f"lakeshore-college-{n}")
    website = "https://college.example.org"
    approval_status = Organization.Approval.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(CollegeFactory)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    college = factory.SubFactory(CollegeFactory)
    title = "Dementia Care Essentials"
    description = "Person-centred care for residents living with dementia."
    hours = 12
    status = Course.Status.PUBLISHED
    url = "https://college.example.org/courses/dementia-care"


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicantProfile

    user = factory.SubFactory(UserFactory)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    applicant = factory.SubFactory(ApplicantFactory)
    course = factory.SubFactory(CourseFactory)


class CompletedEnrolmentFactory(EnrolmentFactory):
    status = Enrolment.Status.COMPLETED
    completed_at = factory.LazyFunction(timezone.now)
