"""The applicant's uploaded résumé: content checks and writes.

A résumé must be a real PDF: the upload is checked by its first bytes and
then parsed with pypdf, so a renamed image or a damaged file is rejected
whatever its name or declared content type.
"""

import io
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from applicants.models import ApplicantProfile, Resume

logger = logging.getLogger(__name__)

PDF_MAGIC = b"%PDF-"
# PDF writers may put a few bytes before the header; readers accept the
# header anywhere in the first kilobyte.
PDF_HEADER_WINDOW = 1024


def check_resume_pdf(upload: UploadedFile) -> None:
    """Raise ValidationError unless ``upload`` is a readable PDF within limits."""
    limit = settings.MEX_RESUME_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(name)s is %(size)s bytes; upload a PDF of at most %(limit)s bytes.")
            % {"name": upload.name, "size": upload.size, "limit": limit},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(
            _("%(name)s is empty: upload your résumé as a PDF.")
            % {"name": upload.name},
            code="empty",
        )

    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if PDF_MAGIC not in data[:PDF_HEADER_WINDOW]:
        raise ValidationError(
            _(
                "%(name)s is not a PDF file, whatever its name says: save or "
                "export your résumé as PDF and upload that."
            )
            % {"name": upload.name},
            code="not_pdf",
        )
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ValidationError(
                _(
                    "%(name)s is protected by a password: save a copy without "
                    "one, so that employers can open it."
                )
                % {"name": upload.name},
                code="encrypted",
            )
        pages = len(reader.pages)
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        OSError,
        NotImplementedError,
    ):
        # pypdf raises these, among others, for a damaged or truncated file,
        # and NotImplementedError for a feature it lacks, such as an unknown
        # encryption method.
        pages = 0
    if pages == 0:
        raise ValidationError(
            _(
                "%(name)s starts like a PDF but cannot be read: it may be "
                "damaged. Export it again as PDF and upload the new file."
            )
            % {"name": upload.name},
            code="unreadable",
        )


def resume_replace(*, profile: ApplicantProfile, upload: UploadedFile) -> Resume:
    """Store ``upload`` as the applicant's résumé, replacing any earlier one.

    Checks the file with ``check_resume_pdf`` first. Locks the profile row.
    The earlier file is deleted once the transaction commits.
    """
    check_resume_pdf(upload)
    with transaction.atomic():
        ApplicantProfile.objects.select_for_update().get(pk=profile.pk)
        resume = Resume.objects.filter(profile=profile).first()
        old_name = resume.file.name if resume is not None else None
        if resume is None:
            resume = Resume(profile=profile)
        resume.original_name = upload.name[:255]
        resume.size = upload.size
        resume.file.save("resume.pdf", upload, save=False)
        resume.full_clean()
        resume.save()
        if old_name and old_name != resume.file.name:
            storage = resume.file.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    logger.info("Applicant %s uploaded a résumé (%s bytes)", profile.pk, upload.size)
    return resume


def resume_delete(*, profile: ApplicantProfile) -> None:
    """Delete the applicant's résumé and its file. Idempotent."""
    with transaction.atomic():
        resume = Resume.objects.select_for_update().filter(profile=profile).first()
        if resume is None:
            return
        name, storage = resume.file.name, resume.file.storage
        resume.delete()
        transaction.on_commit(lambda: storage.delete(name))
    logger.info("Applicant %s deleted their résumé", profile.pk)
