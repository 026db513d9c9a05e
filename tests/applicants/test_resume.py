"""Résumé upload checks, private storage and who may download it."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from applicants.models import Resume
from badges.services import badge_issue
from matching.models import Match
from tests.colleges.factories import CompletedEnrolmentFactory, CourseFactory
from tests.factories import (
    ApplicantFactory,
    MatchFactory,
    MembershipFactory,
    OrganizationFactory,
    SkillFactory,
    VacancyFactory,
)

pytestmark = pytest.mark.django_db


def _pdf_bytes(text: str = "Curriculum vitae") -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(client, data: bytes, name: str = "cv.pdf", content_type="application/pdf"):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(reverse("applicants:resume"), {"file": upload})


@pytest.fixture
def seeker(client, applicant):
    client.force_login(applicant.user)
    return applicant


def test_upload_stores_pdf_privately(client, seeker, settings):
    response = _upload(client, _pdf_bytes())

    resume = Resume.objects.get(profile=seeker)
    path = resume.file.path
    assert response.status_code == 302
    assert path.startswith(str(settings.MEX_PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert resume.original_name == "cv.pdf"


def test_private_file_has_no_url(client, seeker):
    _upload(client, _pdf_bytes())

    resume = Resume.objects.get(profile=seeker)

    with pytest.raises(ValueError, match="no URL"):
        resume.file.url  # noqa: B018


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (_png_bytes(), "cv.pdf", "is not a PDF file"),
        (b"<html><script>alert(1)</script></html>", "cv.pdf", "is not a PDF file"),
        (b"%PDF-1.7\nthis is not really a PDF", "cv.pdf", "cannot be read"),
        (b"", "cv.pdf", "The submitted file is empty."),
    ],
)
def test_upload_rejects_non_pdf(client, seeker, data, name, message):
    response = _upload(client, data, name)

    assert response.status_code == 400
    assert message in response.context["form"].errors["file"][0]
    assert not Resume.objects.exists()


def _pdf_with_unknown_encryption() -> bytes:
    """Return a one-page PDF whose /Encrypt entry names an unknown method."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    data = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(data))
        data += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(data)
    data += b"xref\n0 4\n0000000000 65535 f \n"
    data += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    data += b"trailer\n<< /Size 4 /Root 1 0 R /Encrypt << /Filter /Standard "
    data += b"/V 99 /R 99 >> >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return data


def test_upload_rejects_unknown_encryption(client, seeker):
    response = _upload(client, _pdf_with_unknown_encryption(), "locked.pdf")

    assert response.status_code == 400
    assert "locked.pdf" in response.context["form"].errors["file"][0]
    assert not Resume.objects.exists()


def test_upload_rejects_oversized(client, seeker, settings):
    settings.MEX_RESUME_MAX_BYTES = 100

    response = _upload(client, _pdf_bytes())

    assert "of at most 100 bytes" in response.context["form"].errors["file"][0]
    assert not Resume.objects.exists()


def test_upload_requires_file(client, seeker):
    response = client.post(reverse("applicants:resume"), {})

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["This field is required."]


def test_upload_replaces_earlier(client, seeker, django_capture_on_commit_callbacks):
    # given
    _upload(client, _pdf_bytes("first"))
    first = Resume.objects.get().file.path

    # when
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, _pdf_bytes("second"), name="new.pdf")

    # then
    resume = Resume.objects.get()
    assert resume.original_name == "new.pdf"
    assert resume.file.path != first
    assert not Path(first).exists()


def test_owner_downloads_own_resume(client, seeker):
    _upload(client, _pdf_bytes())

    response = client.get(reverse("applicants:resume_file"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def _shared_resume(*, consent: bool, status: str):
    applicant = ApplicantFactory(consent_to_share=consent)
    Resume.objects.create(profile=applicant, original_name="cv.pdf", size=10)
    resume = Resume.objects.get(profile=applicant)
    resume.file.save("resume.pdf", io.BytesIO(_pdf_bytes()), save=True)
    employer = MembershipFactory(organization=OrganizationFactory())
    vacancy = VacancyFactory(employer=employer.organization)
    match = MatchFactory(vacancy=vacancy, applicant=applicant, status=status)
    return employer, match


def test_employer_with_approved_consented_match_downloads(client):
    employer, match = _shared_resume(consent=True, status=Match.Status.APPROVED)
    client.force_login(employer.user)

    response = client.get(reverse("applicants:resume_for_match", args=[match.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("consent", "status"),
    [(False, Match.Status.APPROVED), (True, Match.Status.PROPOSED)],
)
def test_employer_without_approval_or_consent_gets_404(client, consent, status):
    employer, match = _shared_resume(consent=consent, status=status)
    client.force_login(employer.user)

    response = client.get(reverse("applicants:resume_for_match", args=[match.pk]))

    assert response.status_code == 404


def test_other_employer_gets_404(client):
    _employer, match = _shared_resume(consent=True, status=Match.Status.APPROVED)
    other = MembershipFactory(organization=OrganizationFactory())
    client.force_login(other.user)

    response = client.get(reverse("applicants:resume_for_match", args=[match.pk]))

    assert response.status_code == 404


def test_another_applicant_gets_404(client, seeker):
    _employer, match = _shared_resume(consent=True, status=Match.Status.APPROVED)

    response = client.get(reverse("applicants:resume_for_match", args=[match.pk]))

    assert response.status_code == 404


def test_generated_resume_lists_micro_credentials(client, seeker):
    # given: a completed course with an issued badge
    course = CourseFactory(title="Dementia Care Essentials", hours=12)
    course.skills_taught.create(skill=SkillFactory(name="Dementia care"), level=3)
    completed_at = timezone.make_aware(timezone.datetime(2026, 10, 15, 12))
    enrolment = CompletedEnrolmentFactory(
        applicant=seeker, course=course, completed_at=completed_at
    )
    assertion = badge_issue(enrolment_id=enrolment.pk)

    # when
    response = client.get(reverse("applicants:resume_generated"))

    # then
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert response["Content-Type"] == "application/pdf"
    assert "Micro-credential: Dementia Care Essentials" in text
    assert "Completed 2026-10-15" in text
    assert course.college.name in text
    assert f"/badges/verify/{assertion.public_id}/" in text.replace("\n", "")


def test_generated_resume_has_qr_code_per_badge(client, seeker):
    for title in ("Infection control", "Safe lifts"):
        enrolment = CompletedEnrolmentFactory(
            applicant=seeker, course=CourseFactory(title=title)
        )
        badge_issue(enrolment_id=enrolment.pk)

    response = client.get(reverse("applicants:resume_generated"))

    text = " ".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    assert text.count("Verify this badge") == 2


def test_generated_resume_needs_applicant(client, employer_member):
    client.force_login(employer_member.user)

    response = client.get(reverse("applicants:resume_generated"))

    assert response.status_code == 404
