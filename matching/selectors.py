"""Read-side queries of the matching app."""

from django.db.models import Q, QuerySet

from matching.models import Match, MatchingRun, Occupation, OccupationSkill

VISIBLE_TO_APPLICANT = (Match.Status.PROPOSED, Match.Status.APPROVED)


def matches_for_applicant(
    *, profile_id: int, statuses=VISIBLE_TO_APPLICANT
) -> QuerySet[Match]:
    """Return an applicant's matches with the given statuses, best first."""
    return (
        Match.objects.filter(applicant_id=profile_id, status__in=statuses)
        .select_related("vacancy__employer")
        .order_by("-score", "pk")
    )


def matches_for_vacancy(
    *, vacancy_id: int, statuses=(Match.Status.APPROVED,)
) -> QuerySet[Match]:
    """Return a vacancy's matches with the given statuses, best first.

    Employers see only approved matches, which is the default.
    """
    return (
        Match.objects.filter(vacancy_id=vacancy_id, status__in=statuses)
        .select_related("applicant__user")
        .order_by("-score", "pk")
    )


def proposed_matches() -> QuerySet[Match]:
    """Return the matches waiting for an administrator's decision."""
    return (
        Match.objects.filter(status=Match.Status.PROPOSED)
        .select_related("vacancy__employer", "applicant__user")
        .order_by("-score", "pk")
    )


def latest_run() -> MatchingRun | None:
    return MatchingRun.objects.order_by("-created_at", "-pk").first()


def occupation_typical_skills(
    *, occupation_id: int, min_importance: float = 0
) -> QuerySet[OccupationSkill]:
    """Return an occupation's skills of at least ``min_importance``, most first."""
    return (
        OccupationSkill.objects.filter(
            occupation_id=occupation_id, importance__gte=min_importance
        )
        .select_related("skill")
        .order_by("-importance", "skill__name")
    )


def search_occupations(*, query: str, limit: int = 20) -> list[Occupation]:
    """Return occupations whose title, alias or NOC 2021 code contains ``query``."""
    query = query.strip()
    if not query:
        return []
    matches = Occupation.objects.filter(
        Q(title__icontains=query)
        | Q(aliases__icontains=query)
        | Q(noc_codes__icontains=query)
    ).order_by("title")
    return list(matches[:limit])


def gap_plan(*, profile_id: int, vacancy_id: int):
    """Return one applicant's gaps for one vacancy and courses closing them.

    See ``matching.gaps.GapPlan``.
    """
    from matching.gaps import gap_plan as build

    return build(profile_id=profile_id, vacancy_id=vacancy_id)


def gap_plans(*, profile_id: int, vacancy_ids: list[int]):
    """Return one applicant's GapPlan per vacancy id, in a fixed number of queries."""
    from matching.gaps import gap_plans as build

    return build(profile_id=profile_id, vacancy_ids=vacancy_ids)


def gap_plans_for_applicant(*, profile_id: int, limit: int = 10):
    """Return the vacancies an applicant is close to, each with a GapPlan."""
    from matching.gaps import gap_plans_for_applicant as build

    return build(profile_id=profile_id, limit=limit)


def skill_demand(*, skill_id: int):
    """Return open vacancies needing a skill, applicants held back, courses."""
    from matching.demand import skill_demand as build

    return build(skill_id=skill_id)


def skills_in_demand(*, limit: int = 20):
    """Return the skills most required by open vacancies, with counts."""
    from matching.demand import skills_in_demand as build

    return build(limit=limit)


def rank_vacancies_for_applicant(*, profile_id: int, limit: int = 20):
    """Return open vacancies an applicant qualifies for, by score then fit.

    See ``matching.ranking``; scores are computed now, not read from matches.
    """
    from matching.ranking import rank_vacancies_for_applicant as rank

    return rank(profile_id=profile_id, limit=limit)
