"""Read-side queries for vacancies."""

import statistics
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from colleges.models import Enrolment
from vacancies.models import CandidateStage, Vacancy

SECONDS_PER_DAY = 86_400


def open_vacancies() -> QuerySet[Vacancy]:
    """Return the vacancies anyone may see: those that are open."""
    return Vacancy.objects.filter(status=Vacancy.Status.OPEN)


# --- Figures for the administrator dashboard ---------------------------------


def vacancy_status_counts() -> dict[str, int]:
    """Return how many vacancies are in each status, every status listed."""
    counts = dict.fromkeys(Vacancy.Status.values, 0)
    for row in Vacancy.objects.values("status").annotate(total=Count("pk")):
        counts[row["status"]] = row["total"]
    return counts


def days_to_fill() -> list[float]:
    """Return, per filled vacancy, the days from publication to filling."""
    rows = Vacancy.objects.filter(
        status=Vacancy.Status.FILLED,
        published_at__isnull=False,
        filled_at__isnull=False,
    ).values_list("published_at", "filled_at")
    return [
        max((filled - published).total_seconds(), 0) / SECONDS_PER_DAY
        for published, filled in rows
    ]


def median_days_to_fill() -> float | None:
    """Return the median days from publication to filling, or None if none."""
    days = days_to_fill()
    return statistics.median(days) if days else None


def hires() -> QuerySet[CandidateStage]:
    """Return every hire, each marked ``after_course`` when the applicant
    completed a course before the hire."""
    completed_before = Enrolment.objects.filter(
        applicant_id=OuterRef("match__applicant_id"),
        status=Enrolment.Status.COMPLETED,
        completed_at__lt=OuterRef("at"),
    )
    return CandidateStage.objects.filter(stage=CandidateStage.Stage.HIRED).annotate(
        after_course=Exists(completed_before)
    )


def hires_by_month(*, months: int, today: date) -> list[dict]:
    """Return hires per calendar month for the last ``months`` months.

    Each row has ``month`` (the first day), ``total`` and ``after_course``.
    """
    first = today.replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    starts.reverse()
    rows = {start: {"month": start, "total": 0, "after_course": 0} for start in starts}
    for at, after_course in (
        hires().filter(at__date__gte=starts[0]).values_list("at", "after_course")
    ):
        start = timezone.localdate(at).replace(day=1)
        if start in rows:
            rows[start]["total"] += 1
            rows[start]["after_course"] += int(after_course)
    return list(rows.values())
