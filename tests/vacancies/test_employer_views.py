"""Employers write, publish, close and fill their own vacancies."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Membership, Organization
from matching.models import Credential, Match
from tests.factories import (
    MatchFactory,
    MembershipFactory,
    OrganizationFactory,
    SkillFactory,
    VacancyFactory,
    VacancySkillFactory,
)
from vacancies.models import CandidateStage, Vacancy, VacancySkill

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script>'


def _posting(**overrides) -> dict:
    data = {
        "title": "Personal support worker, nights",
        "description": "Care for residents on the night shift.",
        "employment_type": "part_time",
        "work_mode": "on_site",
        "location": "Hamilton, ON",
        "region": "Ontario",
        "country": "ca",
        "hours_per_week": "30",
        "wage_min": "21.50",
        "wage_max": "24.00",
        "wage_currency": "cad",
        "wage_period": "hour",
        "noc_code": "44101",
        "experience": "1 year in long-term care",
        "closes_on": "",
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
        "action": "save",
    }
    data.update(overrides)
    return data


def _with_skills(data: dict, *rows) -> dict:
    for index, (skill_id, level, importance) in enumerate(rows):
        data[f"skills-{index}-skill"] = str(skill_id)
        data[f"skills-{index}-min_level"] = str(level)
        data[f"skills-{index}-importance"] = importance
    data["skills-TOTAL_FORMS"] = str(len(rows))
    return data


@pytest.fixture
def employer_client(client, employer_member):
    client.force_login(employer_member.user)
    return client


def test_create_saves_draft_with_skills_and_credentials(
    employer_client, employer_member
):
    # given
    care = SkillFactory(name="Personal care")
    lifting = SkillFactory(name="Safe lifting")
    check = Credential.objects.create(
        code="crc", name="Criminal record check", kind="security_check"
    )
    french = Credential.objects.create(code="fr", name="French", kind="language")
    data = _with_skills(
        _posting(security_checks=[check.pk], languages=[french.pk]),
        (care.pk, 3, "required"),
        (lifting.pk, 2, "preferred"),
    )

    # when
    response = employer_client.post(reverse("vacancies:create"), data)

    # then
    vacancy = Vacancy.objects.get()
    assert response.status_code == 302
    assert vacancy.employer == employer_member.organization
    assert vacancy.status == Vacancy.Status.DRAFT
    assert vacancy.country == "CA"
    assert vacancy.wage_currency == "CAD"
    assert set(vacancy.required_credentials.all()) == {check, french}
    assert VacancySkill.objects.get(vacancy=vacancy, skill=care).min_level == 3
    assert (
        VacancySkill.objects.get(vacancy=vacancy, skill=lifting).importance
        == "preferred"
    )


def test_edit_replaces_skills(employer_client, employer_member):
    vacancy = VacancyFactory(employer=employer_member.organization, status="draft")
    VacancySkillFactory(vacancy=vacancy)
    kept = SkillFactory()
    data = _with_skills(_posting(), (kept.pk, 4, "required"))

    employer_client.post(reverse("vacancies:edit", args=[vacancy.pk]), data)

    assert list(vacancy.skill_requirements.values_list("skill_id", flat=True)) == [
        kept.pk
    ]


def test_edit_form_shows_current_values(employer_client, employer_member):
    vacancy = VacancyFactory(employer=employer_member.organization, title="Cook")
    VacancySkillFactory(vacancy=vacancy, skill=SkillFactory(name="Food safety"))

    response = employer_client.get(reverse("vacancies:edit", args=[vacancy.pk]))

    assert 'value="Cook"' in response.text
    assert "Food safety" in response.text


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "required"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"title": "Cook\u202e"}, "title", "U+202E at position 5"),
        ({"description": "Shi\x0bfts"}, "description", "U+000B at position 4"),
        ({"description": "x" * 10_001}, "description", "at most 10000"),
        ({"wage_min": "30", "wage_max": "20"}, "wage_max", "below the minimum"),
        ({"wage_min": "-1"}, "wage_min", "greater than or equal to 0"),
        ({"noc_code": "4410"}, "noc_code", "five digits"),
        ({"noc_code": "\uff14\uff14\uff11\uff10\uff11"}, "noc_code", "five digits"),
        ({"country": "Canada"}, "country", "at most 2"),
        ({"hours_per_week": "200"}, "hours_per_week", "less than or equal to 80"),
    ],
)
def test_bad_input_is_rejected_next_to_field(
    employer_client, overrides, field, message
):
    response = employer_client.post(reverse("vacancies:create"), _posting(**overrides))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Vacancy.objects.count() == 0


def test_open_vacancy_rejects_past_closing_date(employer_client, employer_member):
    vacancy = VacancyFactory(
        employer=employer_member.organization, status=Vacancy.Status.OPEN
    )

    response = employer_client.post(
        reverse("vacancies:edit", args=[vacancy.pk]),
        _posting(title="Renamed", closes_on="2020-01-31"),
    )

    vacancy.refresh_from_db()
    assert response.status_code == 200
    assert "2020-01-31" in " ".join(response.context["form"].errors["closes_on"])
    assert vacancy.closes_on is None
    assert vacancy.title != "Renamed"


def test_draft_may_keep_past_closing_date(employer_client, employer_member):
    vacancy = VacancyFactory(
        employer=employer_member.organization, status=Vacancy.Status.DRAFT
    )

    employer_client.post(
        reverse("vacancies:edit", args=[vacancy.pk]),
        _posting(closes_on="2020-01-31"),
    )

    vacancy.refresh_from_db()
    assert vacancy.closes_on.isoformat() == "2020-01-31"


def test_unknown_skill_id_is_rejected(employer_client):
    data = _with_skills(_posting(), (999_999, 3, "required"))

    response = employer_client.post(reverse("vacancies:create"), data)

    assert "Skill 999999 does not exist" in response.text
    assert Vacancy.objects.count() == 0


def test_oversized_credential_id_is_rejected(employer_client):
    response = employer_client.post(
        reverse("vacancies:create"), _posting(languages=["9" * 25])
    )

    assert f"Credential {'9' * 25} does not exist" in " ".join(
        response.context["form"].errors["languages"]
    )
    assert Vacancy.objects.count() == 0


def test_unknown_credential_id_is_rejected(employer_client):
    response = employer_client.post(
        reverse("vacancies:create"), _posting(languages=["999999"])
    )

    assert "languages" in response.context["form"].errors
    assert Vacancy.objects.count() == 0


def test_same_skill_twice_is_rejected(employer_client):
    skill = SkillFactory()
    data = _with_skills(
        _posting(), (skill.pk, 3, "required"), (skill.pk, 2, "preferred")
    )

    response = employer_client.post(reverse("vacancies:create"), data)

    assert "listed twice" in response.text
    assert Vacancy.objects.count() == 0


def test_markup_in_posting_is_escaped(employer_client, employer_member):
    vacancy = VacancyFactory(
        employer=employer_member.organization, title=XSS, description=XSS
    )

    pages = [
        reverse("vacancies:employer_dashboard"),
        reverse("vacancies:manage", args=[vacancy.pk]),
        reverse("vacancies:edit", args=[vacancy.pk]),
        reverse("vacancies:detail", args=[vacancy.pk]),
    ]

    for page in pages:
        body = employer_client.get(page).text
        assert XSS not in body, page
        assert "&lt;script&gt;" in body, page


def test_search_without_javascript_lists_skills_and_keeps_input(employer_client):
    SkillFactory(name="Dementia care")

    response = employer_client.post(
        reverse("vacancies:create"),
        _posting(action="search", skill_query="dement", title="Draft title"),
    )

    assert "Add Dementia care" in response.text
    assert 'value="Draft title"' in response.text
    assert Vacancy.objects.count() == 0


def test_add_without_javascript_appends_row(employer_client):
    skill = SkillFactory(name="Dementia care")

    response = employer_client.post(
        reverse("vacancies:create"), _posting(add_skill=str(skill.pk))
    )

    formset = response.context["formset"]
    assert [form.initial["skill"] for form in formset] == [skill.pk]
    assert Vacancy.objects.count() == 0


def test_htmx_search_returns_partial(employer_client):
    SkillFactory(name="Wound care")

    response = employer_client.get(
        reverse("vacancies:skill_search"),
        {"skill_query": "wound"},
        headers={"HX-Request": "true"},
    )

    assert "Add Wound care" in response.text
    assert "<html" not in response.text


def test_htmx_row_counts_forms(employer_client):
    skill = SkillFactory(name="Wound care")

    response = employer_client.get(
        reverse("vacancies:skill_row"),
        {"add_skill": skill.pk, "skills-TOTAL_FORMS": 2},
    )

    assert 'name="skills-2-skill"' in response.text
    assert 'value="3" id="id_skills-TOTAL_FORMS" hx-swap-oob="true"' in response.text


def test_htmx_row_rejects_unknown_skill(employer_client):
    response = employer_client.get(
        reverse("vacancies:skill_row"),
        {"add_skill": 999_999, "skills-TOTAL_FORMS": 0},
    )

    assert response.status_code == 400


def test_publish_opens_vacancy(employer_client, employer_member):
    vacancy = VacancyFactory(
        employer=employer_member.organization, status="draft", published_at=None
    )
    VacancySkillFactory(vacancy=vacancy)

    employer_client.post(reverse("vacancies:publish", args=[vacancy.pk]))

    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.OPEN
    assert vacancy.published_at is not None


def test_publish_needs_a_skill(employer_client, employer_member):
    vacancy = VacancyFactory(employer=employer_member.organization, status="draft")

    response = employer_client.post(
        reverse("vacancies:publish", args=[vacancy.pk]), follow=True
    )

    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.DRAFT
    assert "Add at least one skill" in response.text


def test_pending_employer_cannot_publish(client):
    membership = MembershipFactory(
        organization=OrganizationFactory(
            approval_status=Organization.Approval.PENDING, approved_at=None
        )
    )
    vacancy = VacancyFactory(employer=membership.organization, status="draft")
    VacancySkillFactory(vacancy=vacancy)
    client.force_login(membership.user)

    response = client.post(reverse("vacancies:publish", args=[vacancy.pk]), follow=True)

    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.DRAFT
    assert "cannot publish vacancies" in response.text


def test_close_withdraws_proposed_matches(employer_client, employer_member):
    vacancy = VacancyFactory(employer=employer_member.organization)
    proposed = MatchFactory(vacancy=vacancy)
    approved = MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)

    employer_client.post(reverse("vacancies:close", args=[vacancy.pk]))

    vacancy.refresh_from_db()
    proposed.refresh_from_db()
    approved.refresh_from_db()
    assert vacancy.status == Vacancy.Status.CLOSED
    assert proposed.status == Match.Status.WITHDRAWN
    assert approved.status == Match.Status.APPROVED


def test_staff_member_cannot_change_vacancy(client):
    membership = MembershipFactory(role=Membership.Role.STAFF)
    vacancy = VacancyFactory(employer=membership.organization)
    client.force_login(membership.user)

    response = client.post(reverse("vacancies:close", args=[vacancy.pk]))

    assert response.status_code == 403


def test_dashboard_counts_candidates(employer_client, employer_member):
    # given
    vacancy = VacancyFactory(employer=employer_member.organization, title="PSW")
    MatchFactory.create_batch(2, vacancy=vacancy)
    approved = MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)
    MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)
    CandidateStage.objects.create(
        vacancy=vacancy, match=approved, stage="hired", at=vacancy.published_at
    )

    # when
    response = employer_client.get(reverse("vacancies:employer_dashboard"))

    # then
    row = response.context["vacancies"].get(pk=vacancy.pk)
    assert row.proposed_count == 2
    assert row.approved_count == 2
    assert row.hired_count == 1


def test_dashboard_hides_other_employers_vacancies(employer_client):
    VacancyFactory(title="Someone else's job")

    response = employer_client.get(reverse("vacancies:employer_dashboard"))

    assert "Someone else" not in response.text


def test_manage_shows_approved_candidates_only(employer_client, employer_member):
    vacancy = VacancyFactory(employer=employer_member.organization)
    MatchFactory(vacancy=vacancy, applicant__headline="Proposed one")
    MatchFactory(
        vacancy=vacancy,
        status=Match.Status.APPROVED,
        applicant__headline="Approved one",
    )

    response = employer_client.get(reverse("vacancies:manage", args=[vacancy.pk]))

    assert "Approved one" in response.text
    assert "Proposed one" not in response.text
    assert "Dementia care" in response.text


def test_contact_details_need_consent(employer_client, employer_member):
    vacancy = VacancyFactory(employer=employer_member.organization)
    hidden = MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)
    shown = MatchFactory(
        vacancy=vacancy,
        status=Match.Status.APPROVED,
        applicant__consent_to_share=True,
    )

    response = employer_client.get(reverse("vacancies:manage", args=[vacancy.pk]))

    assert shown.applicant.user.email in response.text
    assert hidden.applicant.user.email not in response.text


def test_interview_then_hire_fills_vacancy(employer_client, employer_member):
    # given
    vacancy = VacancyFactory(employer=employer_member.organization)
    match = MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)
    other = MatchFactory(vacancy=vacancy)
    url = reverse("vacancies:candidate_stage", args=[vacancy.pk, match.pk])

    # when
    employer_client.post(url, {"stage": "interviewed"})
    employer_client.post(url, {"stage": "hired"})

    # then
    vacancy.refresh_from_db()
    other.refresh_from_db()
    stage = CandidateStage.objects.get(match=match)
    assert stage.stage == CandidateStage.Stage.HIRED
    assert stage.by == employer_member.user
    assert vacancy.status == Vacancy.Status.FILLED
    assert vacancy.filled_at is not None
    assert other.status == Match.Status.WITHDRAWN
    assert AuditEvent.objects.filter(action="candidate.hired").count() == 1


def test_hire_twice_keeps_one_stage(employer_client, employer_member):
    vacancy = VacancyFactory(employer=employer_member.organization)
    match = MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)
    url = reverse("vacancies:candidate_stage", args=[vacancy.pk, match.pk])

    employer_client.post(url, {"stage": "hired"})
    employer_client.post(url, {"stage": "hired"})

    assert CandidateStage.objects.count() == 1


def test_hired_cannot_go_back(employer_client, employer_member):
    vacancy = VacancyFactory(employer=employer_member.organization)
    match = MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)
    url = reverse("vacancies:candidate_stage", args=[vacancy.pk, match.pk])
    employer_client.post(url, {"stage": "hired"})

    response = employer_client.post(url, {"stage": "interviewed"}, follow=True)

    assert CandidateStage.objects.get().stage == "hired"
    assert "already hired" in response.text


def test_proposed_match_cannot_be_hired(employer_client, employer_member):
    vacancy = VacancyFactory(employer=employer_member.organization)
    match = MatchFactory(vacancy=vacancy)

    response = employer_client.post(
        reverse("vacancies:candidate_stage", args=[vacancy.pk, match.pk]),
        {"stage": "hired"},
    )

    assert response.status_code == 404
    assert CandidateStage.objects.count() == 0


def test_unknown_stage_is_rejected(employer_client, employer_member):
    vacancy = VacancyFactory(employer=employer_member.organization)
    match = MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)

    response = employer_client.post(
        reverse("vacancies:candidate_stage", args=[vacancy.pk, match.pk]),
        {"stage": "<b>fired</b>"},
        follow=True,
    )

    assert "is invalid" in response.text
    assert "<b>fired</b>" not in response.text
    assert CandidateStage.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "method"),
    [("manage", "get"), ("edit", "get"), ("edit", "post"), ("publish", "post")],
)
def test_other_employers_vacancy_is_404(employer_client, name, method):
    foreign = VacancyFactory(status="draft")
    url = reverse(f"vacancies:{name}", args=[foreign.pk])

    response = getattr(employer_client, method)(url)

    assert response.status_code == 404


def test_applicant_cannot_reach_employer_pages(client, applicant):
    client.force_login(applicant.user)

    response = client.get(reverse("vacancies:employer_dashboard"))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    ["admin:vacancies_vacancy_changelist", "admin:vacancies_candidatestage_changelist"],
)
def test_markup_is_escaped_in_admin(admin_client_with_mfa, name):
    vacancy = VacancyFactory(title=XSS)
    match = MatchFactory(vacancy=vacancy, status=Match.Status.APPROVED)
    CandidateStage.objects.create(
        vacancy=vacancy, match=match, stage="hired", at=vacancy.published_at
    )

    response = admin_client_with_mfa.get(reverse(name))

    assert response.status_code == 200
    assert XSS not in response.text
    assert "&lt;script&gt;" in response.text
