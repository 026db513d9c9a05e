"""Reads of courses and enrolments."""

from django.db.models import Count, Q, QuerySet

from accounts.models import Organization
from colleges.models import Course, Enrolment


def published_courses() -> QuerySet[Course]:
    """Return the courses anyone may see: published, at an approved college."""
    return Course.objects.filter(
        status=Course.Status.PUBLISHED,
        college__approval_status=Organization.Approval.APPROVED,
    )


def courses_teaching(skill_ids, *, min_level: int = 0) -> QuerySet[Course]:
    """Return published courses that teach any of ``skill_ids``.

    Each course is annotated with ``skills_matched``, the number of those
    skills it teaches at ``min_level`` or above, and the courses that teach
    the most come first.
    """
    taught = Q(
        skills_taught__skill_id__in=list(skill_ids),
        skills_taught__level__gte=min_level,
    )
    return (
        published_courses()
        .annotate(skills_matched=Count("skills_taught", filter=taught, distinct=True))
        .filter(skills_matched__gt=0)
        .select_related("college")
        .order_by("-skills_matched", "hours", "title")
    )


def active_enrolment(*, applicant_id: int, course_id: int) -> Enrolment | None:
    """Return the applicant's enrolment in a course unless it was withdrawn."""
    return (
        Enrolment.objects.filter(applicant_id=applicant_id, course_id=course_id)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .first()
    )
