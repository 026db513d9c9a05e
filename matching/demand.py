"""Demand for a skill: vacancies needing it, applicants lacking it, courses.

Applicants lacking the skill are those who pass a vacancy's hard filters,
would score at least MATCHING_MIN_SCORE if they met the skill at the
vacancy's minimum level, and do not meet it now. They are found by scoring
the applicants against the vacancies that need the skill twice, as they are
and with the skill raised to level 5, with the same sparse scorer as
matching. Only applicants holding at least one skill of those vacancies (or
a related one) are considered.
"""

from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q
from scipy import sparse

from matching.gaps import teaching_courses
from matching.loading import load_inputs
from matching.models import Skill
from matching.scoring import Applicants, Scorer, Weights
from vacancies.models import Vacancy, VacancySkill


@dataclass
class SkillDemand:
    skill: Skill
    vacancy_ids: list[int] = field(default_factory=list)
    # Profile ids of applicants who would match a vacancy needing the skill
    # if they met it, and do not meet it, with how many such vacancies.
    lacking: dict[int, int] = field(default_factory=dict)
    # The subset of ``lacking`` below the threshold now: the skill is what
    # keeps them from being proposed.
    held_back: dict[int, int] = field(default_factory=dict)
    course_ids: list[int] = field(default_factory=list)

    @property
    def vacancies(self) -> int:
        return len(self.vacancy_ids)

    @property
    def applicants_lacking(self) -> int:
        return len(self.lacking)


def skill_demand(*, skill_id: int) -> SkillDemand:
    """Return the demand for one skill among open vacancies and applicants."""
    skill = Skill.objects.get(pk=skill_id)
    vacancy_ids = list(
        VacancySkill.objects.filter(
            skill_id=skill_id, vacancy__status=Vacancy.Status.OPEN
        )
        .order_by("vacancy_id")
        .values_list("vacancy_id", flat=True)
    )
    demand = SkillDemand(
        skill=skill,
        vacancy_ids=vacancy_ids,
        course_ids=[course.pk for course in teaching_courses([skill_id])],
    )
    if not vacancy_ids:
        return demand

    inputs = load_inputs(vacancy_ids=vacancy_ids)
    weights = Weights.from_settings()
    every = Weights(**{**weights.__dict__, "top_k": max(1, len(inputs.applicants.ids))})
    rows = np.arange(len(inputs.vacancies.ids))
    column = int(inputs.skills.columns(np.array([skill_id]))[0])

    now = Scorer(inputs.skills, inputs.applicants, every).score_block(
        inputs.vacancies, rows
    )
    raised = Scorer(inputs.skills, _with_skill(inputs.applicants, column), every)
    possible = raised.score_block(inputs.vacancies, rows)

    minimum = inputs.vacancies.min_level[:, column].toarray().ravel()
    levels = inputs.applicants.levels[:, column].toarray().ravel()
    matched_now = set(
        zip(now.vacancy_rows.tolist(), now.applicant_rows.tolist(), strict=True)
    )
    for vacancy_row, applicant_row in zip(
        possible.vacancy_rows.tolist(), possible.applicant_rows.tolist(), strict=True
    ):
        if levels[applicant_row] >= minimum[vacancy_row]:
            continue
        profile_id = int(inputs.applicants.ids[applicant_row])
        demand.lacking[profile_id] = demand.lacking.get(profile_id, 0) + 1
        if (vacancy_row, applicant_row) not in matched_now:
            demand.held_back[profile_id] = demand.held_back.get(profile_id, 0) + 1
    return demand


def _with_skill(applicants: Applicants, column: int) -> Applicants:
    """Return a copy of the applicants with one skill raised to level 5."""
    levels = applicants.levels.tolil(copy=True)
    levels[:, column] = 5
    return Applicants(
        ids=applicants.ids,
        levels=sparse.csr_matrix(levels),
        credential_bits=applicants.credential_bits,
        location=applicants.location,
        open_to_remote=applicants.open_to_remote,
        open_to_work=applicants.open_to_work,
        # The copy shares the attribute arrays, so it shares their loader.
        loader=applicants.loader,
        loaded=applicants.loaded,
    )


def skills_in_demand(*, limit: int = 20) -> list[tuple[Skill, int]]:
    """Return the skills most often required by open vacancies, with counts."""
    skills = (
        Skill.objects.annotate(
            open_vacancies=Count(
                "vacancies",
                filter=Q(vacancies__status=Vacancy.Status.OPEN),
                distinct=True,
            )
        )
        .filter(open_vacancies__gt=0)
        .order_by("-open_vacancies", "name")[:limit]
    )
    return [(skill, skill.open_vacancies) for skill in skills]
