"""Helpers for enrolment tests."""

from django.db import transaction

from colleges.services import enrolment_complete


def complete_then_fail(enrolment_id: int) -> None:
    """Complete an enrolment in a transaction that then rolls back."""
    with transaction.atomic():
        enrolment_complete(enrolment_id=enrolment_id)
        raise RuntimeError("roll back")
