"""A résumé PDF built from the applicant's profile and micro-credentials.

The employment history lists jobs and completed MEX courses together, newest
first. Each course with a valid badge carries a QR code of the badge's public
verification page, so an employer holding a printed copy can check it.
"""

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from applicants.models import ApplicantProfile
from badges import links
from colleges.models import Enrolment

QR_SIZE = 22 * mm
MARGIN = 18 * mm
TEXT_WIDTH = LETTER[0] - 2 * MARGIN - QR_SIZE - 4 * mm


@dataclass(frozen=True)
class HistoryEntry:
    sort_date: date
    title: str
    place: str
    dates: str
    description: str
    verify_url: str = ""


def _qr(url: str) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        QR_SIZE,
        QR_SIZE,
        transform=[QR_SIZE / (right - left), 0, 0, QR_SIZE / (top - bottom), 0, 0],
    )
    drawing.add(widget)
    return drawing


def history_entries(profile: ApplicantProfile) -> list[HistoryEntry]:
    """Return the profile's jobs and completed courses, newest first."""
    entries = []
    for job in profile.experiences.all():
        end = job.end_date.isoformat() if job.end_date else _("present")
        entries.append(
            HistoryEntry(
                sort_date=job.end_date or timezone.localdate(),
                title=job.title,
                place=job.employer_name,
                dates=f"{job.start_date.isoformat()} \u2013 {end}",
                description=job.description,
            )
        )
    completed = (
        Enrolment.objects.filter(applicant=profile, status=Enrolment.Status.COMPLETED)
        .select_related("course__college")
        .order_by("-completed_at")
    )
    for enrolment in completed:
        course = enrolment.course
        assertion = getattr(enrolment, "assertion", None)
        valid = assertion is not None and not assertion.revoked
        completed_on = timezone.localtime(enrolment.completed_at).date()
        entries.append(
            HistoryEntry(
                sort_date=completed_on,
                title=_("Micro-credential: %(title)s") % {"title": course.title},
                place=course.college.name,
                dates=_("Completed %(date)s") % {"date": completed_on.isoformat()},
                description=ngettext(
                    "%(hours)s-hour course. Skills: %(skills)s.",
                    "%(hours)s-hour course. Skills: %(skills)s.",
                    course.hours,
                )
                % {
                    "hours": course.hours,
                    "skills": ", ".join(
                        str(taught)
                        for taught in course.skills_taught.select_related("skill")
                    ),
                },
                verify_url=links.verify_url(assertion) if valid else "",
            )
        )
    entries.sort(key=lambda entry: entry.sort_date, reverse=True)
    return entries


def build_resume_pdf(profile: ApplicantProfile) -> bytes:
    """Return the résumé of ``profile`` as PDF bytes."""
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("Small", fontSize=8, leading=10)
    buffer = io.BytesIO()
    user = profile.user
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        title=_("Résumé of %(name)s") % {"name": user.display_name},
        author=user.display_name,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )
    story = [
        Paragraph(escape(user.get_full_name() or user.display_name), styles["Title"])
    ]
    contact = " · ".join(
        escape(part)
        for part in (profile.headline, profile.location, user.email, profile.phone)
        if part
    )
    story += [Paragraph(contact, styles["BodyText"]), Spacer(1, 4 * mm)]
    if profile.summary:
        story.append(Paragraph(escape(profile.summary), styles["BodyText"]))

    skills = profile.skill_levels.select_related("skill").order_by("skill__name")
    if skills:
        story.append(Paragraph(_("Skills"), styles["Heading2"]))
        story.append(
            Paragraph(
                escape(", ".join(str(skill) for skill in skills)), styles["BodyText"]
            )
        )

    story.append(Paragraph(_("Employment history and training"), styles["Heading2"]))
    entries = history_entries(profile)
    if not entries:
        story.append(Paragraph(_("No entries yet."), styles["BodyText"]))
    for entry in entries:
        story.append(KeepTogether(_entry_flowables(entry, styles, small)))

    qualifications = profile.qualifications.all()
    if qualifications:
        story.append(Paragraph(_("Qualifications"), styles["Heading2"]))
        for qualification in qualifications:
            line = qualification.title
            if qualification.institution:
                line += f", {qualification.institution}"
            if qualification.awarded_on:
                line += f" ({qualification.awarded_on.isoformat()})"
            story.append(Paragraph(escape(line), styles["BodyText"]))

    document.build(story)
    return buffer.getvalue()


def _entry_flowables(entry: HistoryEntry, styles, small) -> list:
    heading = f"<b>{escape(entry.title)}</b>"
    if entry.place:
        heading += f", {escape(entry.place)}"
    text = [
        Paragraph(heading, styles["BodyText"]),
        Paragraph(escape(entry.dates), small),
    ]
    if entry.description:
        text.append(Paragraph(escape(entry.description), styles["BodyText"]))
    if not entry.verify_url:
        return [*text, Spacer(1, 3 * mm)]

    text.append(
        Paragraph(
            escape(_("Verify this badge: %(url)s") % {"url": entry.verify_url}), small
        )
    )
    table = Table(
        [[text, _qr(entry.verify_url)]], colWidths=[TEXT_WIDTH, QR_SIZE + 4 * mm]
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey),
            ]
        )
    )
    return [table, Spacer(1, 3 * mm)]
