"""Writes of a college's course catalogue: save, publish and archive.

Each service runs in one transaction, checks that the acting user is a
member of the course's college, and validates fully before it saves.
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.selectors import ensure_organization_can_publish
from colleges.models import Course, CourseSkill

logger = logging.getLogger(__name__)

COURSE_FIELDS = (
    "title",
    "description",
    "hours",
    "delivery",
    "start_date",
    "capacity",
    "price",
    "url",
)
# Skills one course may teach. A micro-credential teaches a handful, and the
# limit also bounds the skill rows that one post of the course form builds.
MAX_COURSE_SKILLS = 30


def _check_member(*, college: Organization, by) -> None:
    if not by.memberships.filter(organization=college).exists():
        raise PermissionDenied(f"User {by.pk} is not a member of college {college.pk}.")
    if college.kind != Organization.Kind.COLLEGE:
        raise PermissionDenied(f"Organization {college.pk} is not a college.")


def course_save(
    *,
    college: Organization,
    by,
    values: dict,
    skills: dict[int, int],
    course: Course | None = None,
) -> Course:
    """Create a draft course, or update ``course``, with the skills it teaches.

    ``values`` holds the ``COURSE_FIELDS``; ``skills`` maps a skill id to the
    level a graduate reaches, and replaces the skills taught. A published
    course stays published. Locks the course row when updating. Not
    idempotent on create: each call without ``course`` adds a course.
    """
    _check_member(college=college, by=by)
    if not skills:
        raise ValidationError(
            _("Add at least one skill the course teaches, with its level."),
            code="no_skills",
        )
    if len(skills) > MAX_COURSE_SKILLS:
        raise ValidationError(
            _("A course lists at most %(limit)s skills, not %(count)s: remove some.")
            % {"limit": MAX_COURSE_SKILLS, "count": len(skills)},
            code="too_many_skills",
        )
    with transaction.atomic():
        if course is None:
            course = Course(college=college)
        else:
            course = Course.objects.select_for_update().get(
                pk=course.pk, college=college
            )
        for name in COURSE_FIELDS:
            setattr(course, name, values[name])
        course.full_clean()
        course.save()

        course.skills_taught.exclude(skill_id__in=list(skills)).delete()
        for skill_id, level in skills.items():
            taught = course.skills_taught.filter(skill_id=skill_id).first()
            if taught is None:
                taught = CourseSkill(course=course, skill_id=skill_id)
            taught.level = level
            taught.full_clean()
            taught.save()

    logger.info("Course %s saved by user %s", course.pk, by.pk)
    return course


def course_publish(*, course: Course, by) -> Course:
    """Publish a course so that job seekers see it and may enrol.

    The college must be approved (``ensure_organization_can_publish``) and the
    course must teach at least one skill. Locks the course row. Idempotent.
    """
    _check_member(college=course.college, by=by)
    ensure_organization_can_publish(course.college)
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if locked.status == Course.Status.PUBLISHED:
            return locked
        if not locked.skills_taught.exists():
            raise ValidationError(
                _("%(title)s teaches no skill yet: add one before publishing.")
                % {"title": locked.title},
                code="no_skills",
            )
        locked.status = Course.Status.PUBLISHED
        locked.save(update_fields=["status", "updated_at"])
    logger.info("Course %s published by user %s", course.pk, by.pk)
    return locked


def course_archive(*, course: Course, by) -> Course:
    """Archive a course: it leaves the catalogue and takes no new enrolments.

    Existing enrolments stay and can still be completed. Locks the course
    row. Idempotent.
    """
    _check_member(college=course.college, by=by)
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if locked.status != Course.Status.ARCHIVED:
            locked.status = Course.Status.ARCHIVED
            locked.save(update_fields=["status", "updated_at"])
            logger.info("Course %s archived by user %s", course.pk, by.pk)
    return locked
