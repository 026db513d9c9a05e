"""PDF certificates of badges, drawn with reportlab."""

import io
from functools import cache
from pathlib import Path

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from badges import links
from badges.drawing import qr_image

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


@cache
def _fonts() -> tuple[str, str]:
    """Return (regular, bold) font names, preferring DejaVu for Unicode text."""
    regular, bold = _DEJAVU / "DejaVuSans.ttf", _DEJAVU / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
        return "DejaVuSans", "DejaVuSans-Bold"
    # NOTE: the built-in Helvetica draws only Latin-1 characters.
    return "Helvetica", "Helvetica-Bold"


def _fit(pdf, text: str, font: str, size: float, width: float) -> float:
    """Return the largest size up to ``size`` at which ``text`` fits ``width``."""
    while size > 8 and pdf.stringWidth(text, font, size) > width:
        size -= 1
    return size


def certificate_pdf(assertion) -> bytes:
    """Return a one-page landscape certificate with the badge's QR code."""
    regular, bold = _fonts()
    badge_class = assertion.badge_class
    course = badge_class.course
    college = badge_class.college
    page_width, page_height = landscape(letter)
    text_width = page_width - 2 * 72
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(page_width, page_height))
    pdf.setTitle(f"{badge_class.name} — {assertion.recipient.user.display_name}")
    pdf.setAuthor(college.name)

    pdf.setStrokeColor(badge_class.primary_colour)
    pdf.setLineWidth(6)
    pdf.rect(24, 24, page_width - 48, page_height - 48)

    centre = page_width / 2
    pdf.setFont(regular, 16)
    pdf.drawCentredString(centre, page_height - 90, college.name)
    pdf.setFont(bold, 30)
    pdf.drawCentredString(centre, page_height - 140, _("Certificate of completion"))
    pdf.setFont(regular, 14)
    pdf.drawCentredString(centre, page_height - 180, _("This certifies that"))
    name = assertion.recipient.user.display_name
    size = _fit(pdf, name, bold, 28, text_width)
    pdf.setFont(bold, size)
    pdf.drawCentredString(centre, page_height - 220, name)
    pdf.setFont(regular, 14)
    if course is not None:
        achieved = ngettext(
            "completed the %(hours)s-hour course",
            "completed the %(hours)s-hour course",
            course.hours,
        ) % {"hours": course.hours}
    else:
        achieved = _("completed every course of the pathway")
    pdf.drawCentredString(centre, page_height - 255, achieved)
    size = _fit(pdf, badge_class.name, bold, 24, text_width)
    pdf.setFont(bold, size)
    pdf.drawCentredString(centre, page_height - 290, badge_class.name)
    issued = formats.date_format(timezone.localdate(assertion.issued_on), "DATE_FORMAT")
    pdf.setFont(regular, 14)
    pdf.drawCentredString(
        centre, page_height - 320, _("Issued on %(date)s") % {"date": issued}
    )

    verify_url = links.verify_url(assertion)
    qr_size = 120
    pdf.drawImage(ImageReader(qr_image(verify_url, size=360)), 60, 50, qr_size, qr_size)
    pdf.setFont(regular, 9)
    pdf.drawString(195, 110, _("Verify this certificate:"))
    pdf.drawString(195, 96, verify_url)
    pdf.drawString(195, 82, _("Badge ID: %(id)s") % {"id": assertion.public_id})
    if assertion.revoked:
        pdf.setFont(bold, 40)
        pdf.setFillColor("#b91c1c")
        pdf.drawCentredString(centre, page_height / 2 - 120, _("REVOKED"))

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
