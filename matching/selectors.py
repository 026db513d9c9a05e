"""Read-side queries of the matching app."""

from django.db.models import QuerySet

from matching.models import Match, MatchingRun

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
