"""The demo data command."""

import pytest
from django.core.management import call_command

from accounts.models import Organization, User
from applicants.models import ApplicantProfile
from colleges.models import Course
from matching.models import Match
from matching.services import run_full_matching
from vacancies.models import Vacancy

pytestmark = pytest.mark.django_db


def _counts():
    return [
        model.objects.count()
        for model in (User, Organization, Course, Vacancy, ApplicantProfile)
    ]


def test_load_demo_twice_creates_nothing(capsys):
    # given
    call_command("load_demo")
    before = _counts()

    # when
    call_command("load_demo")

    # then
    assert _counts() == before
    assert "Users: 0 created" in capsys.readouterr().out


def test_load_demo_prints_admin_login(capsys):
    # when
    call_command("load_demo")

    # then
    output = capsys.readouterr().out
    assert "admin@mex.local / mex-admin-demo-2026" in output
    assert User.objects.get(email="admin@mex.local").is_superuser


def test_demo_colleges_approved_with_courses():
    # when
    call_command("load_demo")

    # then
    colleges = Organization.objects.filter(kind=Organization.Kind.COLLEGE)
    assert all(college.is_approved for college in colleges)
    assert Course.objects.filter(status=Course.Status.PUBLISHED).count() >= 5


def test_demo_has_near_misses():
    # given
    call_command("load_demo")

    # when
    run_full_matching()

    # then some applicants match while missing or under-holding a skill
    partial = [
        match
        for match in Match.objects.all()
        if match.required_met < match.required_total
    ]
    assert Match.objects.filter(score=1.0).exists()
    assert partial
