"""Approving and rejecting matches."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts import audit
from matching.models import Match
from matching.services import match_approve, match_reject
from tests.factories import CollegeFactory, OrganizationFactory
from tests.matching.factories import (
    AdministratorFactory,
    ApplicantFactory,
    UserFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def match():
    return Match.objects.create(
        vacancy=VacancyFactory(), applicant=ApplicantFactory(), score=0.8, stars=4
    )


def test_approve_records_decision(match):
    # given
    admin = AdministratorFactory()

    # when
    approved = match_approve(match_id=match.pk, user=admin)

    # then
    assert approved.status == Match.Status.APPROVED
    assert approved.decided_by == admin
    assert approved.decided_at is not None


def test_approve_twice_is_noop(match):
    # given
    admin = AdministratorFactory()
    first = match_approve(match_id=match.pk, user=admin)

    # when
    second = match_approve(match_id=match.pk, user=AdministratorFactory())

    # then
    assert second.decided_by == admin
    assert second.decided_at == first.decided_at


def test_reject_records_decision(match):
    # when
    rejected = match_reject(match_id=match.pk, user=AdministratorFactory())

    # then
    assert rejected.status == Match.Status.REJECTED


def test_reject_twice_is_noop(match):
    # given
    match_reject(match_id=match.pk, user=AdministratorFactory())

    # when
    again = match_reject(match_id=match.pk, user=AdministratorFactory())

    # then
    assert again.status == Match.Status.REJECTED


def test_approve_rejected_raises(match):
    # given
    match_reject(match_id=match.pk, user=AdministratorFactory())

    # when / then
    with pytest.raises(ValidationError, match="rejected"):
        match_approve(match_id=match.pk, user=AdministratorFactory())


def test_reject_approved_raises(match):
    # given
    match_approve(match_id=match.pk, user=AdministratorFactory())

    # when / then
    with pytest.raises(ValidationError, match="approved"):
        match_reject(match_id=match.pk, user=AdministratorFactory())


def test_approve_withdrawn_raises(match):
    # given
    Match.objects.filter(pk=match.pk).update(status=Match.Status.WITHDRAWN)

    # when / then
    with pytest.raises(ValidationError, match="withdrawn"):
        match_approve(match_id=match.pk, user=AdministratorFactory())


def test_non_staff_cannot_decide(match):
    # when / then
    with pytest.raises(ValidationError, match="administrator"):
        match_approve(match_id=match.pk, user=UserFactory())


def test_admin_action_approves(admin_client_with_mfa, match):
    # given
    client = admin_client_with_mfa

    # when
    response = client.post(
        reverse("admin:matching_match_changelist"),
        {"action": "approve_selected", "_selected_action": [match.pk]},
        follow=True,
    )

    # then
    match.refresh_from_db()
    assert response.status_code == 200
    assert match.status == Match.Status.APPROVED


def test_admin_action_reports_refusal(admin_client_with_mfa, match):
    # given
    Match.objects.filter(pk=match.pk).update(status=Match.Status.WITHDRAWN)
    client = admin_client_with_mfa

    # when
    response = client.post(
        reverse("admin:matching_match_changelist"),
        {"action": "reject_selected", "_selected_action": [match.pk]},
        follow=True,
    )

    # then
    assert "only a proposed match" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "matching_match_changelist",
        "matching_skill_changelist",
        "matching_credential_changelist",
        "matching_occupation_changelist",
        "matching_matchingrun_changelist",
        "vacancies_vacancy_changelist",
        "vacancies_vacancyskill_changelist",
        "applicants_applicantprofile_changelist",
        "applicants_applicantskill_changelist",
        "applicants_applicantcredential_changelist",
    ],
)
def test_admin_list_renders(admin_client_with_mfa, match, name):
    # given
    client = admin_client_with_mfa

    # when
    response = client.get(reverse(f"admin:{name}"), {"q": "care"})

    # then
    assert response.status_code == 200


def test_approval_is_audited(match):
    # given
    administrator = AdministratorFactory()

    # when
    match_approve(match_id=match.pk, user=administrator)

    # then
    event = audit.events_for(match).get()
    assert event.action == "match.approve"
    assert event.actor == administrator
    assert event.before == {"status": "proposed"}
    assert event.after["status"] == "approved"


def test_rejection_is_audited(match):
    match_reject(match_id=match.pk, user=AdministratorFactory())

    assert audit.events_for(match).get().action == "match.reject"


def admin_messages(response) -> list[tuple[str, str]]:
    return [
        (message.level_tag, message.message) for message in response.context["messages"]
    ]


def test_admin_reapproval_reports_no_change(admin_client_with_mfa, match):
    # given
    match_approve(match_id=match.pk, user=AdministratorFactory())

    # when
    response = admin_client_with_mfa.post(
        reverse("admin:matching_match_changelist"),
        {"action": "approve_selected", "_selected_action": [match.pk]},
        follow=True,
    )

    # then
    assert admin_messages(response) == [
        ("info", "1 match was already approved; nothing changed.")
    ]


def test_admin_action_counts_changes(admin_client_with_mfa, match):
    # given
    approved = Match.objects.create(
        vacancy=VacancyFactory(), applicant=ApplicantFactory(), score=0.7, stars=3
    )
    match_approve(match_id=approved.pk, user=AdministratorFactory())

    # when
    response = admin_client_with_mfa.post(
        reverse("admin:matching_match_changelist"),
        {"action": "approve_selected", "_selected_action": [match.pk, approved.pk]},
        follow=True,
    )

    # then
    assert admin_messages(response) == [
        ("success", "1 match approved."),
        ("info", "1 match was already approved; nothing changed."),
    ]


def test_admin_refusal_shows_no_success(admin_client_with_mfa, match):
    # given
    Match.objects.filter(pk=match.pk).update(status=Match.Status.WITHDRAWN)

    # when
    response = admin_client_with_mfa.post(
        reverse("admin:matching_match_changelist"),
        {"action": "reject_selected", "_selected_action": [match.pk]},
        follow=True,
    )

    # then
    levels = [level for level, _ in admin_messages(response)]
    assert levels == ["error"]


def test_admin_employer_filter_lists_employers_only(admin_client_with_mfa, match):
    # given: Django shows the filter only with two choices or more
    college = CollegeFactory(name="Lakeshore College")
    employer = match.vacancy.employer
    other_employer = OrganizationFactory(name="Maple Grove Care")

    # when
    response = admin_client_with_mfa.get(reverse("admin:matching_match_changelist"))

    # then
    employer_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if spec.field_path == "vacancy__employer"
    )
    listed = {name for _pk, name in employer_filter.lookup_choices}
    assert listed == {employer.name, other_employer.name}
    assert college.name not in listed
